"""A parent's first connection (guide, section 1): "Nouveau mot de passe" from the login page,
the e-mailed link, the password page with its live checklist and generators, then sign-in."""

import re
from typing import cast

import pytest
from django.db import transaction
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

EMAIL = "alain.dupont@exemple.fr"
PASSWORD = "Goûter-4-Mercredi"


def seed_parent(town):
    from tenant_apps.accounts.services import account_for_guardian
    from tenant_apps.families.models import Guardian, Household

    with tenant_context(town), transaction.atomic():
        household = Household.objects.create(name="DUPONT")
        user = account_for_guardian(email=EMAIL, first_name="Alain", last_name="Dupont")
        Guardian.objects.create(household=household, user=user, first_name="Alain", last_name="Dupont", email=EMAIL)


def watch_csp(page) -> list[str]:
    """Console errors the page raises: a CSP violation (inline script or style) shows up here."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def link_from_mail(smtp_capture, base_url) -> str:
    [body] = smtp_capture.bodies()
    found = re.search(r"https?://\S+/mot-de-passe/\S+/", body)
    assert found, f"no password link in {body!r}"
    link = found.group(0)
    return link.replace("http://testserver", base_url.rsplit("/", 1)[0])


def test_a_parent_creates_a_password_from_the_emailed_link_and_signs_in(live_town, page, smtp_capture, run_jobs):
    town, base_url = live_town
    seed_parent(town)
    errors = watch_csp(page)

    # Given the parent opens the login page and asks for a new password
    page.goto(f"{base_url}/connexion/")
    page.get_by_role("link", name="Nouveau mot de passe").click()
    page.get_by_label("Votre adresse e-mail").fill(EMAIL)
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", name="Vérifiez votre messagerie")).to_be_visible()

    # When the e-mail arrives and they open its link
    run_jobs()
    page.goto(link_from_mail(smtp_capture, base_url))
    expect(page.get_by_role("heading", name="Je crée mon nouveau mot de passe")).to_be_visible()

    # Then the checklist follows what they type
    rules = page.locator("#password-rules")
    upper, digit, same = (rules.locator(f'li[data-rule="{code}"]') for code in ("upper", "digit", "same"))
    expect(upper).not_to_have_class(re.compile("rule-met"))
    page.get_by_label("Nouveau mot de passe").fill("goûter")
    expect(upper).not_to_have_class(re.compile("rule-met"))
    page.get_by_label("Nouveau mot de passe").fill("Goûter")
    expect(upper).to_have_class(re.compile("rule-met"))
    expect(upper).to_contain_text("respecté")
    expect(digit).not_to_have_class(re.compile("rule-met"))
    page.get_by_label("Nouveau mot de passe").fill(PASSWORD)
    page.get_by_label("Confirmer le mot de passe").fill(PASSWORD)
    expect(rules.locator("li.rule-met")).to_have_count(8)
    expect(page.locator("#password-rules-status")).to_have_text("8 règles sur 8 respectées.")

    # And the generators answer in place
    page.get_by_role("button", name="Générer un mot de passe automatiquement").click()
    generated = page.locator("#generated-password")
    expect(generated).to_have_text(re.compile(r"^\S{12}$"))
    first = generated.inner_text()
    page.get_by_role("button", name="Regénérer").click()
    expect(generated).not_to_have_text(first)
    page.get_by_label("Écrivez ici votre phrase à convertir en mot de passe").fill(
        "Le nouveau portail de connexion 3D Ouest !")
    expect(page.locator("#phrase-password")).to_have_text("Lnp2c3O!")
    page.get_by_label("Écrivez ici votre phrase à convertir en mot de passe").fill("mon chat")
    expect(page.locator(".unmet-rules")).to_contain_text("1 majuscule")

    # When they validate the password they typed
    page.get_by_role("button", name="Valider ›", exact=True).click()

    # Then they are back on the login page with a confirmation, and sign in
    page.wait_for_url(f"{base_url}/connexion/")
    expect(page.get_by_text("Votre mot de passe a été créé")).to_be_visible()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}/")
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_a_generated_password_can_be_used_directly(live_town, page, run_jobs):
    town, base_url = live_town
    seed_parent(town)
    from tenant_apps.accounts.models import AccessLink, User
    from tenant_apps.accounts.services import access_link_issue

    with tenant_context(town):
        token = access_link_issue(user=User.objects.get(email=EMAIL), purpose=AccessLink.Purpose.RESET)

    page.goto(f"{base_url}/mot-de-passe/{token}/")
    page.get_by_role("button", name="Générer un mot de passe automatiquement").click()
    generated = page.locator("#generated-password")
    expect(generated).to_have_text(re.compile(r"^\S{12}$"))
    password = generated.inner_text()
    page.get_by_role("button", name="Valider ce mot de passe").click()

    page.wait_for_url(f"{base_url}/connexion/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}/")


def no_horizontal_overflow(page) -> bool:
    # A mobile browser widens its layout viewport (and window.innerWidth) to fit a too wide page:
    # compare with the phone's real width too.
    return page.evaluate("document.documentElement.scrollWidth <= Math.min(window.innerWidth, screen.width)")


def test_login_and_password_pages_fit_a_phone(live_town, phone_page):
    town, base_url = live_town
    seed_parent(town)
    from tenant_apps.accounts.models import AccessLink, User
    from tenant_apps.accounts.services import access_link_issue

    with tenant_context(town):
        token = access_link_issue(user=User.objects.get(email=EMAIL), purpose=AccessLink.Purpose.RESET)

    for path in ("/connexion/", "/nouveau-mot-de-passe/", f"/mot-de-passe/{token}/"):
        phone_page.goto(f"{base_url}{path}")
        assert no_horizontal_overflow(phone_page), path

    # With a generated password and a long sentence shown
    phone_page.get_by_role("button", name="Générer un mot de passe automatiquement").click()
    expect(phone_page.locator("#generated-password")).to_be_visible()
    phone_page.get_by_label("Écrivez ici votre phrase à convertir en mot de passe").fill(
        "Le-nouveau-portail-de-connexion-3D-Ouest-est-vraiment-tres-pratique-pour-les-familles !")
    expect(phone_page.locator("#phrase-password")).to_be_visible()
    assert no_horizontal_overflow(phone_page)


def test_the_login_and_password_pages_have_no_accessibility_violations(live_town, page):
    from axe_playwright_python.sync_playwright import Axe

    town, base_url = live_town
    seed_parent(town)
    from tenant_apps.accounts.models import AccessLink, User
    from tenant_apps.accounts.services import access_link_issue

    with tenant_context(town):
        token = access_link_issue(user=User.objects.get(email=EMAIL), purpose=AccessLink.Purpose.RESET)

    for path in ("/connexion/", "/nouveau-mot-de-passe/", f"/mot-de-passe/{token}/"):
        page.goto(f"{base_url}{path}")
        if path.startswith("/mot-de-passe/"):
            # With the generated password and a sentence's hint on screen
            page.get_by_role("button", name="Générer un mot de passe automatiquement").click()
            page.get_by_label("Écrivez ici votre phrase à convertir en mot de passe").fill("mon chat")
            expect(page.locator(".unmet-rules")).to_be_visible()
            expect(page.locator("#generated-password")).to_be_visible()
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()


SAMPLES = ["Goûter-4", "ÉLÉPHANT1 ", "éléphant", "Ab1 cdef", "٣Abcdefg!", "ǅungla12?", "ß€ÆÇ9999", "abc", "Soleil",
           # meet the five CNIL rules but look like the account (alain.dupont@exemple.fr, Alain Dupont)…
           "Dupont-2026", "Alain.Dupont1", "Exemple-1234", "DUPONT75!", "Dupont-Goûter-2026-Mercredi!",
           # …or are common passwords, as typed or with spaces around
           "Password1!", "P@ssw0rd", " Azerty123 ", "Marseille13\t", "Nicolas1 ",
           # and ones that pass everything
           "Tartine-2-Confiture", "Goûter-4-Mercredi"]


def server_unmet_codes(sample: str, user) -> list[str]:
    """The checklist codes the server's validators refuse `sample` for."""
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    from tenant_apps.accounts.password_policy import (
        ChecklistValidator,
        CnilPasswordValidator,
        unmet_rule_codes,
    )

    unmet = []
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, CnilPasswordValidator):
            unmet += unmet_rule_codes(sample)
            continue
        try:
            validator.validate(sample, user)
        except ValidationError:
            # every configured validator has its checklist (system check accounts.E001)
            unmet += [line.code for line in cast(ChecklistValidator, validator).checklist(user)]
    return unmet


def test_the_browser_checklist_agrees_with_every_rule_the_server_enforces(live_town, page):
    from tenant_apps.accounts.models import AccessLink, User
    from tenant_apps.accounts.services import access_link_issue

    town, base_url = live_town
    seed_parent(town)
    with tenant_context(town):
        user = User.objects.get(email=EMAIL)
        token = access_link_issue(user=user, purpose=AccessLink.Purpose.RESET)
    page.goto(f"{base_url}/mot-de-passe/{token}/")
    rules = page.locator("#password-rules li[data-rule]:not([data-rule=same])")
    # The common passwords have arrived: no line is left to the server
    page.get_by_label("Nouveau mot de passe").fill("x")
    expect(page.locator("#password-rules li.rule-on-submit")).to_have_count(0)

    with tenant_context(town):
        expected = {sample: server_unmet_codes(sample, user) for sample in SAMPLES}
    assert {"not_like_account", "not_common"} <= {code for codes in expected.values() for code in codes}
    assert [] in expected.values()
    for sample in SAMPLES:
        page.get_by_label("Nouveau mot de passe").fill(sample)
        unmet_in_browser = [
            rules.nth(index).get_attribute("data-rule") for index in range(rules.count())
            if "rule-met" not in rules.nth(index).get_attribute("class")
        ]
        assert unmet_in_browser == expected[sample], sample


def test_without_the_common_list_that_line_says_it_is_checked_on_submit(live_town, page):
    from tenant_apps.accounts.models import AccessLink, User
    from tenant_apps.accounts.services import access_link_issue

    town, base_url = live_town
    seed_parent(town)
    with tenant_context(town):
        token = access_link_issue(user=User.objects.get(email=EMAIL), purpose=AccessLink.Purpose.RESET)
    # Given the list of common passwords cannot be fetched
    page.route("**/mots-de-passe-courants/", lambda route: route.abort())
    page.goto(f"{base_url}/mot-de-passe/{token}/")

    # When the parent types a password that meets every other line
    page.get_by_label("Nouveau mot de passe").fill(PASSWORD)
    page.get_by_label("Confirmer le mot de passe").fill(PASSWORD)

    # Then that line is not green: it says the server checks it
    common = page.locator('#password-rules li[data-rule="not_common"]')
    expect(common).not_to_have_class(re.compile("rule-met"))
    expect(common).to_contain_text("(vérifié à l'envoi)")
    expect(page.locator("#password-rules li.rule-met")).to_have_count(7)
