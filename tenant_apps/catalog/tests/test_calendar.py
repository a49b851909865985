"""The town calendar: public holidays (Alsace-Moselle too), school holidays by zone, closure days."""

import datetime as dt
from types import SimpleNamespace

from tenant_apps.catalog.calendar import TownCalendar, holiday_subdivision
from tenant_apps.catalog.models import Service


def service(**kwargs):
    defaults = {"pk": 1, "name": "Repas Enfant", "weekdays": [0, 1, 3, 4],
                "calendar": Service.Calendar.SCHOOL_DAYS, "Calendar": Service.Calendar}
    return SimpleNamespace(**{**defaults, **kwargs})


def test_alsace_moselle_towns_have_two_more_public_holidays():
    # Given Metz (57463), Strasbourg (67482) and Nantes (44109)
    metz, strasbourg, nantes = (TownCalendar(insee_code=c) for c in ("57463", "67482", "44109"))
    # Then Good Friday and 26 December are holidays in Alsace-Moselle only
    for day in (dt.date(2026, 4, 3), dt.date(2026, 12, 26)):
        assert metz.public_holiday(day)
        assert strasbourg.public_holiday(day)
        assert nantes.public_holiday(day) is None
    assert holiday_subdivision("68224") == "6AE"
    assert holiday_subdivision("97411") == "974"
    assert holiday_subdivision("") is None


def test_school_holidays_depend_on_the_zone():
    # The February 2027 holidays start on different Saturdays per zone
    starts = {zone: next(d for d in (dt.date(2027, 2, 1) + dt.timedelta(days=i) for i in range(60))
                         if TownCalendar(zone=zone).is_school_holiday(d)) for zone in "ABC"}
    assert len(set(starts.values())) == 3
    assert TownCalendar(zone="B").school_holiday(dt.date(2026, 12, 24)) == "Vacances de Noël"
    assert not TownCalendar(zone="B").is_school_holiday(dt.date(2026, 11, 27))


def test_a_school_day_service_does_not_run_on_holidays_closures_or_other_weekdays():
    calendar = TownCalendar(zone="B", closures={dt.date(2026, 12, 3): [(None, "Grève")],
                                                dt.date(2026, 12, 4): [(2, "Sortie annulée")]})
    canteen = service()
    assert calendar.runs_on(canteen, dt.date(2026, 11, 30))  # a Monday of school
    assert calendar.why_not_running(canteen, dt.date(2026, 12, 2))[0] == "not_service_day"  # Wednesday
    assert calendar.why_not_running(canteen, dt.date(2026, 11, 11))[0] == "not_service_day"  # Wednesday too
    assert calendar.why_not_running(canteen, dt.date(2026, 12, 3)) == ("closed", "Fermeture : Grève")
    assert calendar.runs_on(canteen, dt.date(2026, 12, 4))  # closure of another service only
    assert calendar.why_not_running(service(pk=2), dt.date(2026, 12, 4))[0] == "closed"
    assert calendar.why_not_running(canteen, dt.date(2026, 12, 24))[0] in ("not_service_day", "closed")
    assert calendar.why_not_running(canteen, dt.date(2026, 12, 22))[0] == "not_service_day"  # Christmas holidays
    assert "férié" in calendar.why_not_running(service(weekdays=[0, 1, 2, 3, 4]), dt.date(2026, 11, 11))[1]


def test_holiday_only_and_given_dates_services():
    calendar = TownCalendar(zone="B")
    holiday_centre = service(weekdays=[0, 1, 2, 3, 4], calendar=Service.Calendar.SCHOOL_HOLIDAYS)
    assert calendar.runs_on(holiday_centre, dt.date(2026, 12, 22))
    assert not calendar.runs_on(holiday_centre, dt.date(2026, 11, 30))
    outing = service(weekdays=[], calendar=Service.Calendar.GIVEN_DATES)
    assert calendar.runs_on(outing, dt.date(2026, 12, 5), {dt.date(2026, 12, 5)})
    assert not calendar.runs_on(outing, dt.date(2026, 12, 6), {dt.date(2026, 12, 5)})
