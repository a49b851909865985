"""axe-core (through Playwright) finds no serious or critical violation on the parents' home,
documents and messaging pages, on a desktop and on a phone; the phone menu works with and
without JavaScript."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_tenants.utils import tenant_context

from tenants.current import activate_public

pytestmark = pytest.mark.e2e

PASSWORD = "Tartine-2-Confiture"
EMAIL = "maman.theo@example.org"


def seed(town) -> dict:
    from tenant_apps.core.clock import town_today
    from tenant_apps.documents.models import Document
    from tenant_apps.documents.services import document_publish
    from tenant_apps.messaging.models import Message, TownService
    from tenant_apps.messaging.services import conversation_start, message_post
    from tenant_apps.portal import demo as portal_demo
    from tests.support.files import pdf_upload
    from tests.support.fixtures import family_create

    with tenant_context(town):
        portal_demo.load(town)
        alain = family_create("ALAIN", children=("Théo", "Anna"), email=EMAIL)
        user, household = alain.user, alain.household
        document_publish(title="Menus de décembre", category=Document.Category.MENUS, upload=pdf_upload(),
                         published_on=town_today() - datetime.timedelta(days=1))
        from tenant_apps.bookings.models import Booking
        from tenant_apps.catalog.models import Service

        for child in household.children.all():
            for position, name in enumerate(("ALSH Mercredi matin", "ALSH Mercredi après-midi")):
                service, _ = Service.objects.get_or_create(name=name, defaults={"position": position})
                Booking.objects.create(child=child, service=service, date=town_today())
        town_service = TownService.objects.create(name="Service enfance")
        conversation = conversation_start(household=household, author=user, service=town_service, subject="Attestation",
                                          body="Bonjour Madame,\n<ul>\n<li>Théo</li>\n<li>Anna</li>\n</ul>")
        message_post(conversation=conversation, side=Message.Side.TOWN, author=None, body="C'est noté.")
        ids = {"conversation": conversation.pk, "service": town_service.pk}
    activate_public()
    return ids


def sign_in(page, base_url):
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}/")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def pages_of(ids):
    return ["/", "/mes-documents/", "/messagerie/", f"/messagerie/ecrire/{ids['service']}/",
            f"/messagerie/conversations/{ids['conversation']}/"]


def test_home_documents_and_messaging_pages_have_no_serious_violations(live_town, page):
    town, base_url = live_town
    ids = seed(town)
    sign_in(page, base_url)
    # (the home page under test shows today's bookings table and the counters)
    assert page.get_by_role("row", name="ALAIN Théo ALSH Mercredi matin ALSH Mercredi après-midi").is_visible()
    found = {}
    for path in pages_of(ids):
        page.goto(f"{base_url}{path}")
        if violations := serious_violations(page):
            found[path] = violations
    assert found == {}


def test_on_a_phone_too_and_the_menu_button_opens_the_navigation(live_town, phone_page):
    town, base_url = live_town
    ids = seed(town)
    sign_in(phone_page, base_url)
    nav = phone_page.get_by_role("navigation", name="Navigation principale")
    menu = phone_page.get_by_role("button", name="Menu")

    # The navigation is folded behind the Menu button, which opens and closes it
    assert menu.is_visible() and not nav.is_visible()
    assert menu.get_attribute("aria-expanded") == "false"
    menu.click()
    assert nav.is_visible() and menu.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="Mes documents").is_visible()
    found = {}
    for path in pages_of(ids):
        phone_page.goto(f"{base_url}{path}")
        if violations := serious_violations(phone_page):
            found[path] = violations
    assert found == {}


def test_without_javascript_the_phone_navigation_is_simply_shown(live_town, browser):
    town, base_url = live_town
    seed(town)
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 740}, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, base_url)
        assert page.get_by_role("navigation", name="Navigation principale").is_visible()
        assert not page.get_by_role("button", name="Menu").is_visible()
        page.get_by_role("link", name="Messagerie").click()
        assert "Contacter votre structure" in page.content()
    finally:
        context.close()
