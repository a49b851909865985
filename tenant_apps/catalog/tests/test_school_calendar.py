"""A town overseas enters its académie's school holidays; the services that run on school days
(or only in the holidays) then follow them instead of the metropolitan calendar."""

import datetime as dt

import pytest
from django.db import connection

from tenant_apps.catalog.calendar import TownCalendar
from tenant_apps.catalog.errors import InvalidSchoolHolidays
from tenant_apps.catalog.models import SchoolHolidayPeriod, Service
from tenant_apps.catalog.school_calendar import (
    own_school_calendar_required,
    school_holiday_period_add,
)
from tenant_apps.catalog.tests.factories import ServiceFactory
from tenants.models import Town

# La Réunion: the austral summer holidays run from 19 December 2026
# to 24 January 2027; metropolitan zone B is back at school on 4 January.
AUSTRAL_SUMMER = ("Vacances de l'été austral", dt.date(2026, 12, 19), dt.date(2027, 1, 24))
MID_JANUARY = dt.date(2027, 1, 12)  # a Tuesday


@pytest.fixture
def reunion(town):
    """Town A as a town of La Réunion for this test (the row change is rolled back after it)."""
    original = town.insee_code
    Town.objects.filter(pk=town.pk).update(insee_code="97411")
    town.insee_code = connection.tenant.insee_code = "97411"
    yield town
    town.insee_code = original


def calendar():
    return TownCalendar.for_range(dt.date(2026, 12, 1), dt.date(2027, 2, 28))


def test_an_overseas_town_is_asked_for_its_school_calendar_until_it_enters_one(reunion):
    assert own_school_calendar_required()
    school_holiday_period_add(name=AUSTRAL_SUMMER[0], start=AUSTRAL_SUMMER[1], end=AUSTRAL_SUMMER[2])
    assert not own_school_calendar_required()


def test_school_day_services_follow_the_towns_own_holidays(reunion):
    canteen = ServiceFactory(name="Restauration scolaire", weekdays=[0, 1, 3, 4], calendar=Service.Calendar.SCHOOL_DAYS)
    holiday_club = ServiceFactory(name="ALSH vacances", weekdays=[0, 1, 2, 3, 4],
                                  calendar=Service.Calendar.SCHOOL_HOLIDAYS)
    # Without its own calendar, mid-January is a school day (metropolitan data)
    assert calendar().runs_on(canteen, MID_JANUARY)

    school_holiday_period_add(name=AUSTRAL_SUMMER[0], start=AUSTRAL_SUMMER[1], end=AUSTRAL_SUMMER[2])

    town_calendar = calendar()
    assert town_calendar.school_holiday(MID_JANUARY) == "Vacances de l'été austral"
    assert not town_calendar.runs_on(canteen, MID_JANUARY)
    assert town_calendar.runs_on(holiday_club, MID_JANUARY)
    # Back at school on Monday 25 January; and the calendar knows no further than what was entered
    assert town_calendar.runs_on(canteen, dt.date(2027, 1, 25))
    assert town_calendar.school_holidays_known_until == AUSTRAL_SUMMER[2]


def test_the_calendar_reads_closures_and_the_towns_holidays_in_one_query(reunion, django_assert_num_queries):
    school_holiday_period_add(name=AUSTRAL_SUMMER[0], start=AUSTRAL_SUMMER[1], end=AUSTRAL_SUMMER[2])
    with django_assert_num_queries(1):
        calendar()


@pytest.mark.parametrize(("name", "start", "end", "says"), [
    ("", dt.date(2027, 2, 1), dt.date(2027, 2, 10), "Donnez un nom"),
    ("Carnaval", dt.date(2027, 2, 10), dt.date(2027, 2, 1), "doit suivre le premier"),
    ("Tout l'hiver", dt.date(2027, 1, 1), dt.date(2027, 6, 30), "au plus 100 jours"),
    ("Noël", dt.date(2027, 1, 20), dt.date(2027, 1, 30), "chevauchent la période"),
])
def test_a_wrong_period_is_refused_with_what_to_fix(reunion, name, start, end, says):
    school_holiday_period_add(name=AUSTRAL_SUMMER[0], start=AUSTRAL_SUMMER[1], end=AUSTRAL_SUMMER[2])
    with pytest.raises(InvalidSchoolHolidays) as refused:
        school_holiday_period_add(name=name, start=start, end=end)
    assert says in str(refused.value.message)
    assert SchoolHolidayPeriod.objects.count() == 1


def test_staff_enter_the_academie_calendar_from_their_screen(reunion, staff_client):
    url = f"/{reunion.slug}/gestion/prestations/vacances-scolaires/"
    page = staff_client.get(url).content.decode()
    assert "outre-mer" in page

    response = staff_client.post(url, {"name": AUSTRAL_SUMMER[0], "start": "2026-12-19", "end": "2027-01-24"})
    assert response.status_code == 302
    page = staff_client.get(url).content.decode()
    assert "Vacances de l&#x27;été austral" in page and "24/01/2027" in page and "outre-mer" not in page

    # An overlapping period is refused on the form, nothing saved
    response = staff_client.post(url, {"name": "Doublon", "start": "2027-01-10", "end": "2027-01-12"})
    assert response.status_code == 400
    assert "chevauchent" in response.content.decode()
    assert SchoolHolidayPeriod.objects.count() == 1


def test_a_parent_cannot_open_the_school_calendar_screen(reunion, client, other_family):
    client.force_login(other_family.user)
    response = client.get(f"/{reunion.slug}/gestion/prestations/vacances-scolaires/")
    assert response.status_code in (302, 403)
    assert not SchoolHolidayPeriod.objects.exists()
