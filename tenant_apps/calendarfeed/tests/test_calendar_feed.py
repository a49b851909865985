"""A parent adds the children's bookings to their phone's calendar: a private address, read by
calendar apps without signing in, that follows the bookings and can be replaced or revoked."""

import datetime as dt

import pytest
import time_machine
from icalendar import Calendar

from tenant_apps.bookings.tests.factories import book
from tenant_apps.calendarfeed.models import CalendarFeed
from tenant_apps.calendarfeed.services import calendar_feed_renew
from tenant_apps.catalog.tests.factories import ClosureDayFactory, enrol
from tests.support.fixtures import TownClient

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
MONDAY, TUESDAY, THURSDAY = dt.date(2026, 12, 7), dt.date(2026, 12, 8), dt.date(2026, 12, 10)


@pytest.fixture(autouse=True)
def december():
    with time_machine.travel(NOW, tick=False):
        yield


def events(response) -> dict[str, tuple[dt.date, dt.date]]:
    """SUMMARY -> (first day, day after the last) of each event of an .ics answer."""
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): (e.decoded("dtstart"), e.decoded("dtend")) for e in calendar.walk("VEVENT")}


@pytest.fixture
def booked(family, canteen):
    theo, anna = family.children
    enrol(theo, canteen, "2026-2027")
    enrol(anna, canteen, "2026-2027")
    book(theo, canteen, [MONDAY, TUESDAY])
    book(anna, canteen, [THURSDAY])
    return family


def test_the_feed_lists_each_booking_closures_and_holidays_without_a_session(booked, canteen, town, parent_client):
    ClosureDayFactory(date=dt.date(2026, 12, 11), reason="Grève", service=canteen)
    parent_client.post(f"/{town.slug}/mon-agenda/nouvelle-adresse/")
    url = CalendarFeed.objects.get(household=booked.household).token

    found = events(TownClient().get(f"/{town.slug}/agenda/{url}.ics"))  # a calendar app: no cookie

    assert found["Repas Enfant – Théo"] in {(MONDAY, TUESDAY), (TUESDAY, THURSDAY - dt.timedelta(days=1))}
    assert found["Repas Enfant – Anna"] == (THURSDAY, THURSDAY + dt.timedelta(days=1))
    assert sum(1 for summary in found if summary.startswith("Repas Enfant")) == 2  # Théo's two share a summary
    assert found["Fermeture (Repas Enfant) : Grève"] == (dt.date(2026, 12, 11), dt.date(2026, 12, 12))
    assert found["Noël"] == (dt.date(2026, 12, 25), dt.date(2026, 12, 26))
    christmas_holidays = next(v for k, v in found.items() if "Noël" in k and k != "Noël")
    assert christmas_holidays[0] == dt.date(2026, 12, 19)


def test_the_feed_follows_the_bookings_and_never_shows_another_family(booked, other_family, canteen, town):
    book(other_family.child, canteen, [MONDAY])
    feed = calendar_feed_renew(household=booked.household)
    anonymous = TownClient()

    before = Calendar.from_ical(anonymous.get(f"/{town.slug}/agenda/{feed.token}.ics").content)
    booked.child.bookings.filter(date=TUESDAY).update(status="cancelled")
    after = Calendar.from_ical(anonymous.get(f"/{town.slug}/agenda/{feed.token}.ics").content)

    def theo_days(calendar):
        return sorted(e.decoded("dtstart") for e in calendar.walk("VEVENT") if str(e["summary"]).endswith("Théo"))

    assert theo_days(before) == [MONDAY, TUESDAY] and theo_days(after) == [MONDAY]
    assert not any("Paul" in str(e.get("summary")) or other_family.child.first_name in str(e.get("summary"))
                   and str(e["summary"]).startswith("Repas") and e.decoded("dtstart") == MONDAY
                   and other_family.child.first_name != "Théo"
                   for e in after.walk("VEVENT"))
    assert len([e for e in after.walk("VEVENT") if str(e["summary"]).startswith("Repas")]) == 2


def test_a_new_address_replaces_the_old_one_and_a_revoked_one_answers_404(family, town, parent_client):
    parent_client.post(f"/{town.slug}/mon-agenda/nouvelle-adresse/")
    first = CalendarFeed.objects.get().token
    page = parent_client.get(f"/{town.slug}/mon-agenda/").content.decode()
    assert f"/agenda/{first}.ics" in page

    parent_client.post(f"/{town.slug}/mon-agenda/nouvelle-adresse/")
    second = CalendarFeed.objects.get().token
    anonymous = TownClient()
    assert second != first
    assert anonymous.get(f"/{town.slug}/agenda/{first}.ics").status_code == 404
    assert anonymous.get(f"/{town.slug}/agenda/{second}.ics").status_code == 200

    parent_client.post(f"/{town.slug}/mon-agenda/supprimer/")
    assert anonymous.get(f"/{town.slug}/agenda/{second}.ics").status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_token_opens_nothing_else_and_not_in_another_town(family, town, town_b):
    feed = calendar_feed_renew(household=family.household)
    anonymous = TownClient()
    assert anonymous.get(f"/{town_b.slug}/agenda/{feed.token}.ics").status_code == 404
    assert anonymous.get(f"/{town.slug}/agenda/{feed.token[:-1]}.ics").status_code == 404
    # The address is not a session: the family's pages still ask to sign in
    assert anonymous.get(f"/{town.slug}/mon-profil/").status_code == 302
    assert anonymous.get(f"/{town.slug}/api/v1/calendar-feed/", HTTP_AUTHORIZATION=f"Token {feed.token}").status_code == 401


def test_the_api_reads_renews_and_revokes_the_address(family, town, parent_client):
    api = f"/{town.slug}/api/v1/calendar-feed/"
    assert parent_client.get(api).json() == {"url": None, "created_at": None}
    created = parent_client.post(api)
    assert created.status_code == 201 and created.json()["url"].endswith(".ics")
    assert parent_client.get(api).json()["url"] == created.json()["url"]
    assert parent_client.delete(api).status_code == 204
    assert parent_client.get(api).json()["url"] is None
    assert TownClient().get(api).status_code == 401
