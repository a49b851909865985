"""In Chromium: an agent takes a 150-child canteen register with "Tous présents" and three taps (one
request each, counted), then a tap fails (the network drops it): the page says so in French, stays
usable, and "Réessayer" sends the tap again; axe finds no serious violation."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.db import transaction
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenants.current import activate_public

pytestmark = pytest.mark.e2e

EMAIL, PASSWORD = "agent@testville.example", "Tartine-2-Confiture"


@pytest.fixture
def school_day(live_town):
    from tenant_apps.catalog.calendar import public_holiday_name
    from tenants.current import town_today

    town, _base_url = live_town
    day = town_today()
    while day.weekday() > 4 or public_holiday_name(day, town.insee_code):
        day += dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(day, dt.time(11), tzinfo=ZoneInfo("Europe/Paris")), tick=True):
        yield day


def seed(town, day) -> tuple[int, list[int]]:
    """A canteen with 150 children booked on `day` (the first has an allergy and a PAI), and an agent."""
    from tenant_apps.accounts.models import User
    from tenant_apps.bookings.models import Booking
    from tenant_apps.catalog.models import Service
    from tenant_apps.families.tests.factories import ChildFactory

    with tenant_context(town), transaction.atomic():
        User.objects.create_user(EMAIL, password=PASSWORD, is_staff=True)
        canteen = Service.objects.create(name="Repas Enfant", kind=Service.Kind.CANTEEN, weekdays=list(range(7)),
                                         calendar=Service.Calendar.EVERY_OPEN_DAY)
        children: list[Any] = [ChildFactory(last_name=f"ENFANT{n:03d}", first_name=f"Prénom{n}", care_plan=n == 0)
                    for n in range(150)]
        children[0].allergies.create(name="Arachide")
        bookings = Booking.objects.bulk_create([Booking(child=c, service=canteen, date=day) for c in children])
        ids = (canteen.pk, [b.pk for b in bookings])
    activate_public()
    return ids


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def count(page, name: str) -> str:
    return page.locator(f'[data-count="{name}"]').inner_text()


def test_an_agent_takes_the_register_and_a_failed_tap_is_retried(live_town, school_day, page):
    town, base_url = live_town
    canteen_id, booking_ids = seed(town, school_day)
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}/gestion/")
    page.goto(f"{base_url}/gestion/reservations/registre/?date={school_day.isoformat()}&service={canteen_id}")
    assert (count(page, "expected"), count(page, "unknown")) == ("150", "150")
    assert page.get_by_text("Allergies : Arachide").is_visible()
    assert serious_violations(page) == []
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    # "Tous présents": one request, every child present
    page.get_by_role("button", name="Tous présents").click()
    expect(page.locator('[data-count="present"]')).to_have_text("150")
    assert page.get_by_text("150 enfants marqués présents.").is_visible()

    # Three taps: three children absent, the counts follow each tap
    for booking_id in booking_ids[1:4]:
        page.locator(f"#register-row-{booking_id} button").click()
        expect(page.locator(f"#register-row-{booking_id} button")).to_have_text("Absent")
    expect(page.locator('[data-count="absent"]')).to_have_text("3")
    assert count(page, "present") == "147"
    assert len(posts) == 4

    # The network drops the next tap: the page says so, the other rows still work
    page.route("**/registre/pointer/", lambda route: route.abort())
    failing = booking_ids[4]
    page.locator(f"#register-row-{failing} button").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Le pointage n’a pas pu être enregistré (connexion perdue)")
    expect(page.locator(f"#register-row-{failing} button")).to_have_text("Présent")
    page.unroute("**/registre/pointer/")
    page.get_by_role("button", name="Réessayer").click()
    expect(page.locator(f"#register-row-{failing} button")).to_have_text("Absent")
    expect(alert).to_be_hidden()
    expect(page.locator('[data-count="absent"]')).to_have_text("4")
    assert len(posts) == 6  # four, the dropped tap, its retry

    # A server error is told apart from a lost connection
    page.route("**/registre/pointer/", lambda route: route.fulfill(status=500, body="Erreur"))
    page.locator(f"#register-row-{booking_ids[5]} button").click()
    expect(alert).to_contain_text("(erreur du serveur)")
    expect(page.locator(f"#register-row-{booking_ids[5]} button")).to_have_text("Présent")
    expect(page.locator('[data-count="absent"]')).to_have_text("4")
