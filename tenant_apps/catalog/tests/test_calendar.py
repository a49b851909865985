"""The town calendar: public holidays (Alsace-Moselle too), school holidays by zone, closure days."""

import datetime as dt
from types import SimpleNamespace

import holidays

from tenant_apps.catalog.calendar import TownCalendar, holiday_subdivision
from tenant_apps.catalog.models import Service
from tenants.territories import OVERSEAS_TERRITORIES


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


def test_overseas_towns_have_the_public_holidays_of_their_territory():
    # Given a town of La Réunion and one of Nantes
    saint_denis, nantes = TownCalendar(insee_code="97411"), TownCalendar(insee_code="44109")
    # Then 20 December (abolition of slavery) is a holiday at Saint-Denis only
    assert saint_denis.public_holiday(dt.date(2026, 12, 20)) == "Abolition de l'esclavage"
    assert nantes.public_holiday(dt.date(2026, 12, 20)) is None
    # And both share the national holidays
    assert saint_denis.public_holiday(dt.date(2026, 7, 14)) == nantes.public_holiday(dt.date(2026, 7, 14))


def test_overseas_collectivites_have_their_own_public_holidays_not_the_metropolitan_ones():
    # Nouméa, Papeete, Mata-Utu, Gustavia, Marigot: each has a holiday metropolitan France does not
    own_days = {
        "98818": dt.date(2026, 9, 24),  # Fête de la Citoyenneté
        "98735": dt.date(2026, 3, 5),  # Arrivée de l'Évangile
        "98613": dt.date(2026, 7, 29),  # Fête du Territoire
        "97701": dt.date(2026, 10, 9),  # Abolition de l'esclavage
        "97801": dt.date(2026, 5, 28),  # Abolition de l'esclavage
    }
    for insee_code, day in own_days.items():
        assert TownCalendar(insee_code=insee_code).public_holiday(day), insee_code
        assert TownCalendar(insee_code="44109").public_holiday(day) is None
    assert holiday_subdivision("97502") == "PM"  # Saint-Pierre: its own table, the national days only


def test_every_overseas_territory_is_one_the_holidays_library_knows():
    for territory in OVERSEAS_TERRITORIES.values():
        assert territory.holiday_subdivision in holidays.France.subdivisions, territory.name


def test_the_school_holiday_data_ends_with_the_last_holidays_it_carries():
    # The day the data is known until is a day of holidays in zone B...
    known_until = TownCalendar(zone="B").school_holidays_known_until
    assert TownCalendar(zone="B").is_school_holiday(known_until)
    # ...and no later day of the data is one: past it, nothing is known
    later = [day for day in (known_until + dt.timedelta(days=i) for i in range(1, 400))
             if TownCalendar(zone="B").is_school_holiday(day)]
    assert later == []
    assert known_until.year >= 2028
