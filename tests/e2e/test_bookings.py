"""A parent books a week, toggles a day, and books in bulk, in a real Chromium.

Dates are computed from the real today: the test uses a Monday–Friday week at least a week
ahead with no public holiday, so deadlines are open whatever day the suite runs.
"""

import datetime as dt
import re

import pytest
from django.db import transaction
from django_tenants.utils import tenant_context

pytestmark = pytest.mark.e2e

PASSWORD = "Tartine-2-Confiture"


def open_week(today: dt.date) -> dt.date:
    """The Monday of the first week starting at least 7 days ahead whose weekdays are all open."""
    from tenant_apps.catalog.calendar import TownCalendar

    calendar = TownCalendar(zone="B")
    monday = today + dt.timedelta(days=7 - today.weekday() + 7)
    while any(calendar.public_holiday(monday + dt.timedelta(days=i)) for i in range(5)):
        monday += dt.timedelta(days=7)
    return monday


def seed(town):
    from tenant_apps.accounts.tests.factories import UserFactory
    from tenant_apps.catalog.models import Service, school_year_of
    from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
    from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory

    with tenant_context(town), transaction.atomic():
        guardian = GuardianFactory(household__name="ALAIN",
                                   user=UserFactory(email="parent@testville.example", password=PASSWORD))
        theo = ChildFactory(household=guardian.household, first_name="Théo")
        anna = ChildFactory(household=guardian.household, first_name="Anna")
        ChildFactory(household=guardian.household, first_name="David")
        canteen = ServiceFactory(name="Repas Enfant", weekdays=[0, 1, 3, 4],
                                 calendar=Service.Calendar.EVERY_OPEN_DAY, deadline_time=dt.time(8, 30))
        today = dt.date.today()  # noqa: DTZ011
        years = {school_year_of(today), school_year_of(today + dt.timedelta(days=200))}
        for child in (theo, anna):
            enrol(child, canteen, *years)
    return theo, anna, canteen


def sign_in(page, base_url):
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Email").fill("parent@testville.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}/")


def bookings(town, **filters):
    from tenant_apps.bookings.models import Booking

    with tenant_context(town):
        return sorted((b.child.first_name, b.date) for b in Booking.objects.filter(status="booked", **filters)
                      .select_related("child"))


def test_a_parent_books_a_week_then_toggles_one_day(live_town, page):
    town, base_url = live_town
    theo, anna, canteen = seed(town)
    monday = open_week(dt.date.today())  # noqa: DTZ011
    iso_year, iso_week, _ = monday.isocalendar()
    sign_in(page, base_url)

    # When the parent opens the bookings and moves to the chosen week with the arrow
    page.get_by_role("link", name="Réservations").first.click()
    page.goto(f"{base_url}/reservations/?semaine={iso_year}-W{iso_week:02d}")
    expect_heading = page.get_by_role("heading", name=f"Semaine {iso_week} / {iso_year}")
    assert expect_heading.is_visible()
    page.get_by_role("link", name="Semaine suivante").click()
    assert page.get_by_role("heading", name=f"Semaine {(monday + dt.timedelta(days=7)).isocalendar()[1]} /").is_visible()
    page.get_by_role("link", name="Semaine précédente").click()
    assert page.get_by_text("Fin de réservation: 08:30").first.is_visible()

    # And books Théo's whole week of meals
    page.get_by_role("button", name="Réserver pour la semaine : Repas Enfant, Théo").click()
    status = page.locator("#booking-status")
    status.get_by_text("4 jours réservés pour Théo").wait_for()
    # Then Monday, Tuesday, Thursday and Friday are green "réservé"; Wednesday stays locked
    row = page.locator(f"#row-{theo.pk}-{canteen.pk}")
    assert row.locator('td[data-state="booked"]').count() == 4
    wednesday = row.locator(f"#cell-{theo.pk}-{canteen.pk}-{monday + dt.timedelta(days=2):%Y%m%d}")
    assert "n'a pas lieu ce jour" in wednesday.get_attribute("title")
    assert bookings(town, child=theo) == [("Théo", monday + dt.timedelta(days=d)) for d in (0, 1, 3, 4)]

    # When they tick Anna's Thursday, it books at once (no page load) and says so
    thursday = monday + dt.timedelta(days=3)
    cell = page.locator(f"#cell-{anna.pk}-{canteen.pk}-{thursday:%Y%m%d}")
    cell.get_by_role("button").click()
    status.get_by_text("Repas Enfant réservé pour Anna").wait_for()
    page.wait_for_selector(f'#cell-{anna.pk}-{canteen.pk}-{thursday:%Y%m%d}[data-state="booked"]')
    assert bookings(town, child=anna) == [("Anna", thursday)]
    # And ticking it again cancels it
    page.locator(f"#cell-{anna.pk}-{canteen.pk}-{thursday:%Y%m%d}").get_by_role("button").click()
    status.get_by_text("Repas Enfant annulé pour Anna").wait_for()
    page.wait_for_selector(f'#cell-{anna.pk}-{canteen.pk}-{thursday:%Y%m%d}[data-state="available"]')
    assert bookings(town, child=anna) == []
    # And the keyboard focus stays on the toggled cell
    assert page.evaluate("document.activeElement.id") == f"toggle-{anna.pk}-{canteen.pk}-{thursday:%Y%m%d}"


def test_the_week_grid_and_the_wizard_have_no_serious_accessibility_violations(live_town, page):
    from axe_playwright_python.sync_playwright import Axe

    town, base_url = live_town
    seed(town)
    monday = open_week(dt.date.today())  # noqa: DTZ011
    sign_in(page, base_url)
    axe = Axe()
    iso_year, iso_week, _ = monday.isocalendar()
    for url in (f"/reservations/?semaine={iso_year}-W{iso_week:02d}", "/reservations/en-masse/"):
        page.goto(f"{base_url}{url}")
        results = axe.run(page)
        serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], (url, results.generate_report())


def test_without_javascript_a_day_is_booked_through_the_cell_form(live_town, browser):
    town, base_url = live_town
    _theo, anna, canteen = seed(town)
    monday = open_week(dt.date.today())  # noqa: DTZ011
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, base_url)
        iso_year, iso_week, _ = monday.isocalendar()
        page.goto(f"{base_url}/reservations/?semaine={iso_year}-W{iso_week:02d}")
        page.locator(f"#cell-{anna.pk}-{canteen.pk}-{monday:%Y%m%d}").get_by_role("button").click()
        page.get_by_text("Repas Enfant réservé pour Anna").wait_for()
        assert page.locator(f"#cell-{anna.pk}-{canteen.pk}-{monday:%Y%m%d}").get_attribute("data-state") == "booked"
        assert bookings(town, child=anna) == [("Anna", monday)]
    finally:
        context.close()


def test_a_parent_books_in_bulk_with_the_wizard(live_town, page):
    town, base_url = live_town
    theo, _anna, canteen = seed(town)
    monday = open_week(dt.date.today())  # noqa: DTZ011
    friday_next = monday + dt.timedelta(days=11)
    sign_in(page, base_url)
    page.goto(f"{base_url}/reservations/")

    # Step 1: the service
    page.get_by_role("link", name="Réserver en masse").click()
    page.get_by_label("Prestation").select_option(label="Repas Enfant")
    page.get_by_role("button", name="Suivant").click()
    # Step 2: the children; David, not enrolled, cannot be chosen
    assert page.get_by_label("ALAIN David").is_disabled()
    assert page.get_by_text("(Non inscrit)").is_visible()
    page.get_by_label("ALAIN Théo").check()
    page.get_by_role("button", name="Suivant").click()
    # Step 3: Mondays and Thursdays over two weeks, replacing
    days = page.get_by_role("group", name="Jours pour ALAIN Théo")
    days.get_by_label("Mar").uncheck()
    days.get_by_label("Ven").uncheck()
    page.get_by_label("Date début réservation").fill(monday.strftime("%d/%m/%Y"))
    page.get_by_label("Date fin réservation").fill(friday_next.strftime("%d/%m/%Y"))
    page.get_by_label("Remplacer les réservations existantes (non facturées)").check()
    page.get_by_role("button", name="Réserver").click()
    # Step 4: the summary, then confirm
    page.get_by_role("heading", name=re.compile("Récapitulatif")).wait_for()
    assert "4 réservations à créer" in page.locator(".summary-totals").inner_text()
    assert bookings(town) == []
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_text("Vos réservations ont bien été enregistrées : 4 créées").wait_for()
    assert bookings(town, child=theo) == [("Théo", monday + dt.timedelta(days=d)) for d in (0, 3, 7, 10)]
