"""On a phone (375×740, touch), every main parent page fits the screen: nothing makes the whole
page scroll sideways (the week grid scrolls inside each child's own box, its service column stays
in view), and axe-core finds no serious or critical violation.

The household is seeded with what makes pages wide in real life: two children enrolled in six
services for the week shown (the canteen closed on Wednesdays), a booking, an invoice to pay, a published document and a
conversation with the town.
"""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import transaction
from django_tenants.utils import tenant_context

from tenants.current import activate_public

pytestmark = pytest.mark.e2e

PASSWORD = "Tartine-2-Confiture"
EMAIL = "claire.alain@example.org"
PHONE_WIDTH = 375


def open_week(today: dt.date) -> dt.date:
    """The Monday of the first week starting at least 7 days ahead with no public holiday."""
    from tenant_apps.catalog.calendar import TownCalendar

    calendar = TownCalendar(zone="B")
    monday = today + dt.timedelta(days=7 - today.weekday() + 7)
    while any(calendar.public_holiday(monday + dt.timedelta(days=i)) for i in range(5)):
        monday += dt.timedelta(days=7)
    return monday


def seed(town, monday: dt.date) -> dict:
    from tenant_apps.accounts.tests.factories import UserFactory
    from tenant_apps.billing.services import household_invoice_issue
    from tenant_apps.billing.tests.factories import TariffFactory
    from tenant_apps.bookings.models import Booking
    from tenant_apps.bookings.tests.factories import book, school_days
    from tenant_apps.catalog.models import Service, school_year_of
    from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
    from tenant_apps.core.clock import town_today
    from tenant_apps.documents.models import Document
    from tenant_apps.documents.services import document_publish
    from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory
    from tenant_apps.messaging.models import Message, TownService
    from tenant_apps.messaging.services import conversation_start, message_post
    from tenant_apps.portal import demo as portal_demo
    from tests.support.files import pdf_upload

    with tenant_context(town), transaction.atomic():
        portal_demo.load(town)  # the town's contact details, shown in the footer and the messaging
        guardian = GuardianFactory.create(household__name="ALAIN", user=UserFactory(email=EMAIL, password=PASSWORD))
        household = guardian.household
        theo = ChildFactory.create(household=household, first_name="Théo", last_name="ALAIN")
        anna = ChildFactory.create(household=household, first_name="Anna", last_name="ALAIN")
        years = {school_year_of(monday), school_year_of(dt.date(2019, 4, 1))}
        # (no canteen on Wednesdays: those cells are locked, with a text for screen readers only)
        services = [
            ServiceFactory.create(name=name, weekdays=[0, 1, 3, 4] if position == 0 else [0, 1, 2, 3, 4],
                           calendar=Service.Calendar.EVERY_OPEN_DAY, deadline_time=dt.time(8, 30), position=position)
            for position, name in enumerate(("Repas Enfant", "Accueil périscolaire matin", "Accueil périscolaire soir",
                                             "Mercredi sortie vacances scolaires", "ALSH Mercredi après-midi",
                                             "ALSH Vacances Journée"))
        ]
        for child in (theo, anna):
            for service in services:
                enrol(child, service, *years)
        Booking.objects.create(child=theo, service=services[0], date=monday)
        # An April 2019 canteen invoice, still to pay
        TariffFactory(service=services[0])
        book(anna, services[0], school_days(dt.date(2019, 4, 1), dt.date(2019, 4, 30))[:10])
        household_invoice_issue(household_id=household.pk, period_start=dt.date(2019, 4, 1),
                                period_end=dt.date(2019, 4, 30))
        document_publish(title="Menus de décembre", category=Document.Category.MENUS, upload=pdf_upload(),
                         published_on=town_today() - dt.timedelta(days=1))
        town_service = TownService.objects.create(name="Service enfance")
        conversation = conversation_start(household=household, author=guardian.user, service=town_service,
                                          subject="Attestation de paiement pour la caisse d'allocations familiales",
                                          body="Bonjour, pourriez-vous m'envoyer une attestation ? Merci.")
        message_post(conversation=conversation, side=Message.Side.TOWN, author=None, body="C'est noté.")
        ids = {"child": theo.pk, "conversation": conversation.pk, "service": town_service.pk,
               "canteen": services[0].pk}
    activate_public()
    return ids


def sign_in(page, base_url):
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}/")


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def fits_the_screen(page) -> bool:
    # A mobile browser widens its layout viewport to fit a too wide page (window.innerWidth then
    # grows with it), so the page is also compared with the phone's real width.
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth") and page_width(page) <= PHONE_WIDTH


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_the_main_parent_pages_fit_a_phone_and_pass_axe(live_town, phone_page):
    town, base_url = live_town
    monday = open_week(dt.date.today())  # noqa: DTZ011 - the live server runs on the real clock
    ids = seed(town, monday)
    iso_year, iso_week, _ = monday.isocalendar()

    # Given Claire signs in on her phone
    sign_in(phone_page, base_url)

    # When she opens each page of the portal
    paths = [
        "/", "/mon-profil/", "/mes-enfants/", f"/mes-enfants/{ids['child']}/",
        "/reservations/", f"/reservations/?semaine={iso_year}-W{iso_week:02d}", "/reservations/en-masse/",
        "/mes-factures/", "/mes-documents/", "/messagerie/",
        f"/messagerie/conversations/{ids['conversation']}/", f"/messagerie/ecrire/{ids['service']}/",
    ]
    too_wide, violations = {}, {}
    for path in paths:
        phone_page.goto(f"{base_url}{path}")
        # Then none of them scrolls sideways
        if not fits_the_screen(phone_page):
            too_wide[path] = page_width(phone_page)
        # And axe finds no serious or critical violation
        if found := serious_violations(phone_page):
            violations[path] = found
    assert too_wide == {}
    assert violations == {}


def test_the_week_grid_scrolls_inside_its_box_with_the_service_column_in_view(live_town, phone_page):
    town, base_url = live_town
    monday = open_week(dt.date.today())  # noqa: DTZ011
    ids = seed(town, monday)
    iso_year, iso_week, _ = monday.isocalendar()
    sign_in(phone_page, base_url)

    # When Claire opens the week on her phone
    phone_page.goto(f"{base_url}/reservations/?semaine={iso_year}-W{iso_week:02d}")

    # Then each child's week is a scrollable, labelled region, with a hint saying so
    region = phone_page.get_by_role("region", name="Semaine de Théo")
    assert region.is_visible()
    hint = phone_page.locator(f"#{region.get_attribute('aria-describedby')}")
    assert hint.is_visible() and "Faites glisser le tableau pour voir les autres jours" in hint.inner_text()
    box = region.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # five days do not fit: the box scrolls
    assert page_width(phone_page) <= PHONE_WIDTH

    # When she scrolls Théo's table to Friday
    service_cell = phone_page.locator(f"#row-{ids['child']}-{ids['canteen']} th")
    before = service_cell.bounding_box()["x"]
    region.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    friday = phone_page.locator(f"#cell-{ids['child']}-{ids['canteen']}-{monday + dt.timedelta(days=4):%Y%m%d}")

    # Then Friday's cell is on screen, and the service name with its week button stays in view
    friday_box = friday.bounding_box()
    assert friday_box["x"] + friday_box["width"] <= PHONE_WIDTH + 1
    assert service_cell.bounding_box()["x"] == pytest.approx(before, abs=1)
    assert service_cell.get_by_text("Repas Enfant").is_visible()

    # And the day's button and the week button are at least 44 px tall, easy to tap
    toggle = friday.get_by_role("button")
    assert toggle.bounding_box()["height"] >= 44
    week_button = phone_page.get_by_role("button", name="Réserver pour la semaine : Repas Enfant, Théo")
    assert week_button.bounding_box()["height"] >= 44

    # And tapping the day books it, without the page moving sideways
    toggle.tap()
    phone_page.locator("#booking-status").get_by_text("Repas Enfant réservé pour Théo").wait_for()
    assert page_width(phone_page) <= PHONE_WIDTH
