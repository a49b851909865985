"""A gestionnaire signs in, lands on the staff dashboard, and follows today's canteen to its
attendance sheet (pointage); axe-core finds no serious or critical violation on the dashboard.

The clock is frozen (and ticking) on the next school day, so that today's services always run."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django_tenants.utils import tenant_context

from tenants.current import activate_public

pytestmark = pytest.mark.e2e

PASSWORD = "Tartine-2-Confiture"
AGENT = "agent@testville.example"


@pytest.fixture
def school_day(live_town):
    """From today, the first Monday to Friday that is not a public holiday; the test runs on it,
    from 10:00 in Paris, the clock ticking."""
    from tenant_apps.catalog.calendar import public_holiday_name
    from tenants.current import town_today

    town, _base_url = live_town
    day = town_today()
    while day.weekday() > 4 or public_holiday_name(day, town.insee_code):
        day += dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo("Europe/Paris")), tick=True):
        yield day


def seed(town) -> dict:
    """Today (the town's day): the canteen with two children booked, an unread message,
    an unpaid invoice, a parent's edit; and a gestionnaire."""
    from tenant_apps.billing.models import Invoice
    from tenant_apps.bookings.models import Booking
    from tenant_apps.catalog.models import Service
    from tenant_apps.core.clock import town_today
    from tenant_apps.families.services import field_update
    from tenant_apps.messaging.models import TownService
    from tenant_apps.messaging.services import conversation_start
    from tests.support.fixtures import family_create, staff_create

    with tenant_context(town):
        today = town_today()
        staff_create(AGENT)
        alain = family_create("ALAIN", children=("Théo", "Anna"), email="marie.alain@example.org")
        user, household = alain.user, alain.household
        alain.guardian.mobile_phone = ""  # the record had no mobile number yet
        alain.guardian.save(update_fields=["mobile_phone"])
        canteen = Service.objects.create(name="Repas Enfant", kind=Service.Kind.CANTEEN, weekdays=list(range(7)),
                                         calendar=Service.Calendar.EVERY_OPEN_DAY)
        for child in household.children.all():
            Booking.objects.create(child=child, service=canteen, date=today)
        enfance = TownService.objects.create(name="Service enfance")
        conversation_start(household=household, author=user, service=enfance, subject="Attestation",
                           body="Bonjour, pouvez-vous m'envoyer une attestation ?")
        Invoice.objects.create(number="F00001", sequence=1, household=household, period_start=dt.date(2026, 11, 1),
                               period_end=dt.date(2026, 11, 30), issued_on=dt.date(2026, 12, 1),
                               due_on=dt.date(2026, 12, 31), total=Decimal("79.20"), payer_name="ALAIN")
        field_update(actor=user, obj=user.guardian, key="guardian.mobile_phone", value="06 12 34 56 78")
        ids = {"canteen": canteen.pk, "today": today}
    activate_public()
    return ids


def sign_in_as_agent(page, base_url):
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Email").fill(AGENT)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}/gestion/")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_a_gestionnaire_signs_in_reads_the_dashboard_and_opens_todays_canteen_sheet(live_town, school_day, page):
    town, base_url = live_town
    ids = seed(town)

    # When the gestionnaire signs in at /connexion/
    sign_in_as_agent(page, base_url)

    # Then they land on the dashboard, with the staff navigation, not the parents' one
    assert page.get_by_role("heading", name="Tableau de bord", level=1).is_visible()
    assert page.get_by_role("navigation", name="Navigation de gestion").is_visible()
    assert page.get_by_role("link", name="Mes enfants").count() == 0
    # and see today's canteen with its two children, the unread message, the unpaid invoice, the edit
    today = page.get_by_role("region", name="Aujourd'hui")
    canteen_row = today.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Repas Enfant"))
    assert canteen_row.get_by_role("cell").all_inner_texts() == ["2", "2"]
    assert page.get_by_role("region", name="Messagerie").get_by_role("row", name="Service enfance 1").is_visible()
    billing = page.get_by_role("region", name="Facturation")
    assert "79,20" in billing.inner_text()
    assert "06 12 34 56 78" in page.get_by_role("region", name="Familles").inner_text()

    # and the page has no serious accessibility problem
    assert serious_violations(page) == []

    # When they follow the canteen's "Pointage" link
    today.get_by_role("link", name="Pointage Repas Enfant").click()

    # Then the attendance sheet of today's canteen opens, listing both children
    page.wait_for_url(f"{base_url}/gestion/reservations/?date={ids['today'].isoformat()}&service={ids['canteen']}")
    assert page.get_by_role("heading", name="Repas Enfant").is_visible()
    assert page.get_by_role("rowheader", name="ALAIN Théo").is_visible()
    assert page.get_by_role("rowheader", name="ALAIN Anna").is_visible()


def test_the_dashboard_on_a_phone_has_no_serious_violation_and_no_sideways_scrolling(live_town, school_day, phone_page):
    town, base_url = live_town
    seed(town)
    sign_in_as_agent(phone_page, base_url)

    assert serious_violations(phone_page) == []
    page_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 375
