"""Demo data: the seed's services with the guide's deadlines, and the ALAIN children's enrolments.

Runs inside the town's schema after the families demo (which creates the ALAIN household).
"""

import datetime as dt
import logging

from tenant_apps.core.clock import town_today
from tenant_apps.families.models import Child

from .calendar import TownCalendar
from .models import Enrolment, Service, ServicePeriod, school_year_of

logger = logging.getLogger(__name__)

SCHOOL_WEEK = [0, 1, 3, 4]
SERVICES = [
    # name, kind, weekdays, calendar, deadline time, colour
    ("Repas Enfant", Service.Kind.CANTEEN, SCHOOL_WEEK, Service.Calendar.SCHOOL_DAYS, dt.time(8, 30), "#2e7d32"),
    ("Accueil périscolaire matin", Service.Kind.BEFORE_SCHOOL, SCHOOL_WEEK, Service.Calendar.SCHOOL_DAYS,
     dt.time(6, 0), "#1565c0"),
    ("Accueil périscolaire soir", Service.Kind.AFTER_SCHOOL, SCHOOL_WEEK, Service.Calendar.SCHOOL_DAYS,
     dt.time(6, 0), "#6a1b9a"),
    ("Mercredi sortie vacances scolaires", Service.Kind.OUTING, [2], Service.Calendar.EVERY_OPEN_DAY,
     dt.time(23, 59), "#ef6c00"),
    ("ALSH Mercredi matin", Service.Kind.WEDNESDAY, [2], Service.Calendar.SCHOOL_DAYS, dt.time(7, 30), "#00838f"),
    ("ALSH Mercredi après-midi", Service.Kind.WEDNESDAY, [2], Service.Calendar.SCHOOL_DAYS, dt.time(12, 0),
     "#ad1457"),
]
HOLIDAY_CENTRE = "ALSH Vacances Journée"

# The guide (section 3.2) lists Théo's enrolments; Anna's grid (section 4.1) shows the six weekly services.
ENROLMENTS = {
    "Théo": [name for name, *_rest in SERVICES] + [HOLIDAY_CENTRE],
    "Anna": [name for name, *_rest in SERVICES],
}


def load(town) -> None:
    services = {}
    for position, (name, kind, weekdays, calendar, deadline, colour) in enumerate(SERVICES, start=1):
        services[name] = Service.objects.create(
            name=name, kind=kind, weekdays=weekdays, calendar=calendar, colour=colour, position=position,
            deadline_mode=Service.DeadlineMode.SAME_DAY_TIME, deadline_time=deadline,
        )
    # The holiday centre closes each holiday period's bookings ten days before it starts; outside a
    # known period, three working days before at noon.
    holiday_centre = services[HOLIDAY_CENTRE] = Service.objects.create(
        name=HOLIDAY_CENTRE, kind=Service.Kind.HOLIDAY_CENTRE, weekdays=[0, 1, 2, 3, 4],
        calendar=Service.Calendar.SCHOOL_HOLIDAYS, capacity=40, colour="#5d4037", position=len(SERVICES) + 1,
        deadline_mode=Service.DeadlineMode.FIXED_DATE, deadline_time=dt.time(12, 0), deadline_days=3,
        deadline_day_kind=Service.DayKind.WORKING,
    )
    today = town_today()
    for label, start, end in holiday_periods(town, today, today + dt.timedelta(days=365)):
        closes = dt.datetime.combine(start - dt.timedelta(days=10), dt.time(23, 59), tzinfo=town.zoneinfo)
        ServicePeriod.objects.create(service=holiday_centre, label=label, start=start, end=end, closes_at=closes)

    _enrol_alain_children(services, school_year_of(today))


def holiday_periods(town, start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The school holiday periods of the town's zone between two dates: [(name, first day, last day)]."""
    calendar = TownCalendar(zone=town.school_zone, insee_code=town.insee_code)
    periods: list[tuple[str, dt.date, dt.date]] = []
    day = start
    while day <= end:
        name = calendar.school_holiday(day)
        if name:
            if periods and periods[-1][0] == name and periods[-1][2] == day - dt.timedelta(days=1):
                periods[-1] = (name, periods[-1][1], day)
            else:
                periods.append((name, day, day))
        day += dt.timedelta(days=1)
    return periods


def _enrol_alain_children(services: dict, school_year: str) -> None:
    children = {c.first_name: c for c in Child.objects.filter(household__name__iexact="ALAIN")}
    if not children:
        logger.warning("Demo: no ALAIN household, no enrolments created")
        return
    for first_name, names in ENROLMENTS.items():
        child = children.get(first_name)
        if child is None:
            continue
        for name in names:
            Enrolment.objects.get_or_create(child=child, service=services[name], school_year=school_year)
