"""'Je crée mon nouveau mot de passe': the rules are enforced by the server, whatever the page
shows; the random and the sentence generators work with and without JavaScript."""

import re

import pytest
from django_tenants.utils import tenant_context

from tenant_apps.accounts import services
from tenant_apps.accounts.models import AccessLink
from tenant_apps.accounts.password_policy import unmet_rules


@pytest.fixture
def token(newcomer, town):
    return services.access_link_issue(user=newcomer, purpose=AccessLink.Purpose.RESET)


def url(token, suffix=""):
    return f"/ville-a/mot-de-passe/{token}/{suffix}"


def post_password(client, token, password, confirm=None):
    return client.post(url(token), {"password1": password, "password2": password if confirm is None else confirm})


def password_usable(user, town):
    with tenant_context(town):
        user.refresh_from_db()
        return user.has_usable_password()


def test_the_page_shows_two_fields_the_six_rules_and_the_three_ways(client, token):
    response = client.get(url(token))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Je crée mon nouveau mot de passe" in body
    assert 'id="id_password1"' in body and 'id="id_password2"' in body
    for rule in ["8 caractères minimum", "1 minuscule", "1 majuscule", "1 caractère spécial", "1 chiffre",
                 "Les 2 mots de passe saisis sont identiques"]:
        assert rule in body
    assert "Générer un mot de passe automatiquement" in body
    assert "Générer un mot de passe à partir d'une phrase" in body
    assert 'aria-live="polite"' in body
    assert "accounts/password.js" in body
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_the_page_has_no_inline_script_or_style_so_the_csp_holds(client, token):
    body = client.get(url(token)).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert " style=" not in body and "<style" not in body
    assert not re.search(r"<[^>]+\son[a-z]+=", body)  # no inline event handlers either


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("Ab1!xyz", "8 caractères minimum"),
        ("ABCDEF1!", "1 minuscule"),
        ("abcdef1!", "1 majuscule"),
        ("Abcdefg1", "1 caractère spécial"),
        ("Abcdefg!", "1 chiffre"),
    ],
)
def test_each_rule_is_enforced_by_the_server(client, token, newcomer, town, password, missing):
    response = post_password(client, token, password)
    assert response.status_code == 400
    assert f"Le mot de passe doit comprendre : {missing}." in response.content.decode()
    assert not password_usable(newcomer, town)


def test_a_common_password_is_refused_even_when_it_meets_the_rules(client, token, newcomer, town):
    response = post_password(client, token, "Password1!")
    assert response.status_code == 400
    assert "Ce mot de passe est trop courant." in response.content.decode()
    assert not password_usable(newcomer, town)


def test_both_entries_must_be_identical(client, token, newcomer, town):
    response = post_password(client, token, "Tartine-2-Confiture", confirm="Tartine-2-Confitur")
    assert response.status_code == 400
    assert "Les 2 mots de passe saisis ne sont pas identiques." in response.content.decode()
    assert not password_usable(newcomer, town)


def test_accented_letters_count_as_letters_not_special_characters(client, token):
    # "é" is a lowercase letter: without a real special character the password is refused
    response = post_password(client, token, "Éléphant1")
    assert "1 caractère spécial" in response.content.decode()
    assert unmet_rules("Éléphant1!") == []


def test_the_random_generator_answers_htmx_with_a_fragment(client, token, newcomer, town):
    response = client.post(url(token, "generer/"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    generated = re.search(r'id="generated-password">([^<]+)<', body).group(1)
    assert unmet_rules(generated) == []
    assert "Regénérer" in body

    # REGÉNÉRER gives another password
    again = client.post(url(token, "generer/"), HTTP_HX_REQUEST="true").content.decode()
    assert re.search(r'id="generated-password">([^<]+)<', again).group(1) != generated

    # And VALIDER creates the shown password
    form = re.search(r'<input type="hidden" name="password1" value="([^"]+)"', body).group(1)
    from html import unescape

    assert unescape(form) == unescape(generated)
    assert post_password(client, token, unescape(generated)).status_code == 302


def test_the_random_generator_works_without_javascript(client, token):
    response = client.post(url(token, "generer/"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body and "Je crée mon nouveau mot de passe" in body
    assert "Mot de passe généré aléatoirement" in body


def test_the_guide_sentence_gives_the_guides_password(client, token):
    response = client.post(url(token, "phrase/"), {"phrase": "Le nouveau portail de connexion 3D Ouest !"},
                           HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="phrase-password">Lnp2c3O!<' in body
    assert "Ce mot de passe respecte toutes les règles." in body
    assert 'name="password1" value="Lnp2c3O!"' in body


def test_a_weak_sentence_shows_exactly_the_missing_rules(client, token):
    response = client.post(url(token, "phrase/"), {"phrase": "mon chat aime le lait"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="phrase-password">mcall<' in body
    unmet = re.findall(r"<li>([^<]+)</li>", body.split('class="unmet-rules"')[1].split("</ul>")[0])
    assert unmet == ["8 caractères minimum", "1 majuscule", "1 caractère spécial", "1 chiffre"]
    assert "Commencez au moins un mot par une majuscule." in body
    assert 'name="password1"' not in body


def test_the_sentence_converter_works_without_javascript(client, token):
    response = client.post(url(token, "phrase/"), {"phrase": "Le nouveau portail de connexion 3D Ouest !"})
    body = response.content.decode()
    assert "<html" in body
    assert 'value="Le nouveau portail de connexion 3D Ouest !"' in body
    assert 'id="phrase-password">Lnp2c3O!<' in body


def test_an_empty_sentence_is_answered_in_french(client, token):
    response = client.post(url(token, "phrase/"), {"phrase": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()


def test_the_generators_refuse_a_dead_link_and_htmx_reloads_the_page(client, token):
    response = client.post(url("faux-jeton", "generer/"), HTTP_HX_REQUEST="true")
    assert response.status_code == 410
    assert response["HX-Refresh"] == "true"
    assert client.post(url("faux-jeton", "phrase/"), {"phrase": "x"}).status_code == 410


def test_generating_needs_a_post_with_the_csrf_token(town, token):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.get(url(token, "generer/")).status_code == 405
    assert strict.post(url(token, "generer/")).status_code == 403


# --- The checklist is the server's rules, all of them -------------------------------------------


def checklist_codes(body: str) -> list[str]:
    return re.findall(r'<li data-rule="([a-z_]+)"', body)


def test_every_rule_the_server_enforces_is_a_line_of_the_checklist(client, token, newcomer, town):
    from django.contrib.auth import password_validation

    body = client.get(url(token)).content.decode()

    # Every validator the server runs has its lines on the page, in order, then "identical"
    declared = [line.code for validator in password_validation.get_default_password_validators()
                for line in validator.checklist(newcomer)]
    assert checklist_codes(body) == [*declared, "same"]
    assert declared == ["length", "lower", "upper", "special", "digit", "not_like_account", "not_common"]
    assert "Ne ressemble pas à votre adresse e-mail ni à votre nom" in body
    assert "N&#x27;est pas un mot de passe courant" in body


@pytest.mark.parametrize(
    ("password", "line", "refusal"),
    [
        # Meets the five CNIL rules, yet is too close to the address nouveau@exemple.fr
        ("Nouveau-2026", "Ne ressemble pas à votre adresse e-mail ni à votre nom",
         "Le mot de passe est trop semblable au champ"),
        # Meets the five CNIL rules, yet is one of the most common passwords
        ("Password1!", "N&#x27;est pas un mot de passe courant", "Ce mot de passe est trop courant."),
    ],
)
def test_a_password_refused_for_a_rule_beyond_the_five_was_on_the_checklist(
        client, token, newcomer, town, password, line, refusal):
    # Given the page shows the rule
    assert line in client.get(url(token)).content.decode()
    # When the parent submits a password that breaks only that rule
    assert unmet_rules(password) == []
    response = post_password(client, token, password)
    # Then the server refuses it for that very rule
    assert response.status_code == 400
    assert refusal in response.content.decode()
    assert not password_usable(newcomer, town)


def test_the_similarity_line_carries_what_the_server_compares_the_password_with(client, token):
    import json
    from html import unescape

    body = client.get(url(token)).content.decode()
    data = json.loads(unescape(re.search(r'data-rule="not_like_account" data-rule-data="([^"]+)"', body).group(1)))
    assert data["max_similarity"] == 0.7
    assert set(data["parts"]) >= {"nouveau", "exemple", "fr", "nouveau@exemple.fr", "camille", "martin"}


def test_the_common_passwords_list_is_served_compressed_and_cacheable(client, token):
    import json
    from html import unescape

    body = client.get(url(token)).content.decode()
    common_url = unescape(re.search(r'data-common-passwords="([^"]+)"', body).group(1))
    assert common_url == "/ville-a/mots-de-passe-courants/"

    response = client.get(common_url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip" and "max-age=86400" in response["Cache-Control"]
    import gzip

    common = json.loads(gzip.decompress(response.content))
    # The very list the server compares with
    from django.contrib.auth.password_validation import CommonPasswordValidator

    assert set(common) == CommonPasswordValidator().passwords
    assert {"password1!", "123456", "azerty"} <= set(common)


def test_a_validator_without_checklist_lines_fails_the_system_checks(settings):
    from django.contrib.auth import password_validation

    from tenant_apps.accounts.checks import password_validators_have_checklist_lines

    assert password_validators_have_checklist_lines(None) == []
    settings.AUTH_PASSWORD_VALIDATORS = [
        *settings.AUTH_PASSWORD_VALIDATORS,
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ]
    password_validation.get_default_password_validators.cache_clear()
    [error] = password_validators_have_checklist_lines(None)
    assert error.id == "accounts.E001" and "NumericPasswordValidator" in error.msg
