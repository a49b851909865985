"""Reads of bookings, scoped to the caller (a household) or to a staff screen."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Prefetch,
    QuerySet,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenant_apps.catalog.models import Enrolment, Service, school_year_of
from tenant_apps.catalog.selectors import ServiceSchedule, schedule_for, school_years_between
from tenant_apps.families.models import Child, Household, SchoolPlacement
from tenant_apps.families.selectors import children_of

from . import rules
from .errors import ServiceFull
from .models import Booking


def bookings_of_day(household: Household, day: dt.date) -> QuerySet[Booking]:
    """The booked bookings of the household's children on `day` (home dashboard)."""
    return (
        Booking.objects.filter(child__household=household, date=day, status=Booking.Status.BOOKED)
        .select_related("child", "service")
        .order_by("child__first_name", "service__position", "service__name")
    )


# --- the parents' week grid ----------------------------------------------------------------------

@dataclass
class Cell:
    day: dt.date
    state: str  # "locked", "available", "booked", "full"
    reason: str = ""
    can_toggle: bool = False
    booking: Booking | None = None
    code: str = ""  # the refusal's code when the cell cannot be toggled ("deadline_passed"…)

    @property
    def label(self) -> str:
        """What a screen reader announces (and the tooltip)."""
        if self.state == "booked":
            if self.can_toggle or not self.reason:
                return _("Réservé")
            return _("Réservé (%(reason)s)") % {"reason": self.reason}
        if self.state == "available":
            return _("Disponible : cliquer pour réserver")
        if self.state == "full":
            return _("Complet")
        return _("Verrouillé : %(reason)s") % {"reason": self.reason} if self.reason else _("Verrouillé")


@dataclass
class Row:
    child: Child
    service: Service
    cells: list[Cell]
    deadline_text: str = ""

    @property
    def has_available(self) -> bool:
        return any(cell.state == "available" for cell in self.cells)


@dataclass
class ChildGrid:
    child: Child
    rows: list[Row] = field(default_factory=list)


@dataclass
class WeekGrid:
    monday: dt.date
    days: list[dt.date]
    children: list[ChildGrid]
    deadline_message: str = ""

    @property
    def iso(self) -> tuple[int, int]:
        year, week, _weekday = self.monday.isocalendar()
        return year, week

    @property
    def previous_monday(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next_monday(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def parse_week(value: str | None, fallback: dt.date) -> dt.date:
    """"2026-W48" → the Monday of that ISO week; anything unreadable → the week of `fallback`."""
    if value:
        try:
            year, week = value.upper().split("-W")
            return dt.date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            pass
    return monday_of(fallback)


def week_param(monday: dt.date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def cell_state(*, child: Child, service: Service, day: dt.date, booking: Booking | None,
               schedule: ServiceSchedule, enrolled: bool, taken: int, now: dt.datetime) -> Cell:
    """The state of one cell of the grid, with the reason a locked cell is locked (`rules.py` decides)."""
    facts = rules.booking_facts(service=service, day=day, schedule=schedule, enrolled=enrolled, booking=booking,
                                taken=taken, now=now)
    if facts.booked:
        refusal = rules.cancellation_refusal(facts)
        if refusal is not None:
            return Cell(day, "booked", str(refusal.label), False, booking, refusal.code)
        return Cell(day, "booked", facts.closed_reason or "", True, booking)
    refusal = rules.booking_refusal(facts)
    if refusal is None:
        return Cell(day, "available", "", True, booking)
    state = "full" if isinstance(refusal, ServiceFull) else "locked"
    return Cell(day, state, str(refusal.label), False, booking, refusal.code)


def week_grid(household: Household, monday: dt.date, *, now: dt.datetime | None = None, only_child_id: int | None = None,
              only_service_id: int | None = None, children: list[Child] | None = None) -> WeekGrid:
    """The household's week: per child, one row per enrolled service, one cell per day.

    A constant number of queries whatever the number of children and services; `children` (the
    household's, as `children_of` lists them) saves one when the caller has them already.
    """
    now = now or timezone.now()
    week = [monday + dt.timedelta(days=i) for i in range(7)]
    children = list(children_of(household)) if children is None else list(children)
    if only_child_id is not None:
        children = [c for c in children if c.pk == only_child_id]
    child_ids = [c.pk for c in children]
    years = school_years_between(week[0], week[-1])
    services, enrolled, taken = _week_services(child_ids, years, week[0], week[-1])
    if only_service_id is not None:
        services = {k: v for k, v in services.items() if k == only_service_id}
    ordered = sorted(services.values(), key=lambda s: (s.position, s.name))
    schedule = schedule_for(ordered, week[0], week[-1])
    bookings = {
        (b.child_id, b.service_id, b.date): b
        for b in Booking.objects.filter(child_id__in=child_ids, service_id__in=list(services),
                                        date__range=(week[0], week[-1]))
    }
    # Monday–Friday, plus Saturday/Sunday when a displayed service runs then.
    weekend = {d for s in ordered for d in s.weekdays if d >= 5}
    weekend |= {d.weekday() for dates in schedule.given_dates.values() for d in dates if d.weekday() >= 5}
    days = [d for d in week if d.weekday() < 5 or d.weekday() in weekend]

    deadline_texts = {service.pk: _deadline_text(service, days, schedule) for service in ordered}
    grids = []
    for child in children:
        grid = ChildGrid(child)
        for service in ordered:
            child_years = [y for y in years if service.pk in enrolled.get((child.pk, y), set())]
            if not child_years:
                continue  # not enrolled: the row is not shown
            cells = [
                cell_state(child=child, service=service, day=day, booking=bookings.get((child.pk, service.pk, day)),
                           schedule=schedule, enrolled=school_year_of(day) in child_years,
                           taken=taken.get((service.pk, day), 0), now=now)
                for day in days
            ]
            grid.rows.append(Row(child, service, cells, deadline_texts[service.pk]))
        grids.append(grid)
    return WeekGrid(monday=monday, days=days, children=grids,
                    deadline_message=_deadline_message(ordered, days, schedule, now))


def _week_services(child_ids: list[int], years: list[str], start: dt.date, end: dt.date) -> tuple[
        dict[int, Service], dict[tuple[int, str], set[int]], dict[tuple[int, dt.date], int]]:
    """The active services the children are enrolled in for `years`, with the enrolments and places taken."""
    return services_with_enrolments(None, child_ids=child_ids, years=years, start=start, end=end)


_SERVICES_WITH_ENROLMENTS = """
SELECT s.*,
  ARRAY(SELECT e.child_id::text || '|' || e.school_year FROM {enrolment} e
        WHERE e.service_id = s.id AND e.child_id = ANY(%(children)s) AND e.school_year = ANY(%(years)s)) AS enrolled_pairs,
  CASE WHEN s.capacity IS NULL THEN ARRAY[]::text[] ELSE ARRAY(
    SELECT b.date::text || '|' || count(*) FROM {booking} b
    WHERE b.service_id = s.id AND b.status = %(booked)s AND b.date BETWEEN %(start)s AND %(end)s GROUP BY b.date)
  END AS taken_days
FROM {service} s
WHERE {which}
"""
_ENROLLED_IN = ("s.is_active AND s.id IN (SELECT service_id FROM {enrolment} "
                "WHERE child_id = ANY(%(children)s) AND school_year = ANY(%(years)s))")


def services_with_enrolments(service_ids: list[int] | None, *, child_ids: list[int], years: list[str],
                             start: dt.date, end: dt.date) -> tuple[dict[int, Service], dict[tuple[int, str], set[int]],
                                                                    dict[tuple[int, dt.date], int]]:
    """In one query: the services (`service_ids`, or the active ones the children are enrolled in for
    `years`), the children's enrolments in them {(child id, school year): {service ids}}, and the places
    taken {(service id, day): n} from `start` to `end` for the services with a capacity.

    Written in SQL: the ORM's version of these two array subqueries cost more to compile than to run."""
    tables = {"service": Service._meta.db_table, "enrolment": Enrolment._meta.db_table,
              "booking": Booking._meta.db_table}
    which = _ENROLLED_IN.format(**tables) if service_ids is None else "s.id = ANY(%(services)s)"
    sql = _SERVICES_WITH_ENROLMENTS.format(which=which, **tables)
    params = {"children": list(child_ids), "years": list(years), "booked": Booking.Status.BOOKED, "start": start,
              "end": end, "services": list(service_ids or [])}
    found: dict[int, Service] = {}
    enrolled: dict[tuple[int, str], set[int]] = defaultdict(set)
    taken: dict[tuple[int, dt.date], int] = {}
    for service in Service.objects.raw(sql, params):
        found[service.pk] = service
        for pair in getattr(service, "enrolled_pairs"):  # noqa: B009 - a column of the raw query
            child_id, year = pair.split("|", 1)
            enrolled[(int(child_id), year)].add(service.pk)
        for pair in getattr(service, "taken_days"):  # noqa: B009 - a column of the raw query
            day, count = pair.split("|", 1)
            taken[(service.pk, dt.date.fromisoformat(day))] = int(count)
    return found, enrolled, taken


def _deadline_text(service: Service, days: list[dt.date], schedule: ServiceSchedule) -> str:
    """"08:30", or for a period with a fixed closing date, that date ("10/12/2026 23:59")."""
    if service.deadline_mode == Service.DeadlineMode.FIXED_DATE:
        for period in schedule.periods.get(service.pk, ()):
            if any(period.start <= day <= period.end for day in days):
                return date_format(period.closes_at.astimezone(schedule.tz), "d/m/Y H:i")
        fallback = Service(deadline_mode=Service.DeadlineMode.DAYS_BEFORE, deadline_time=service.deadline_time,
                           deadline_days=service.deadline_days, deadline_day_kind=service.deadline_day_kind)
        return fallback.deadline_label
    return service.deadline_label


def _deadline_message(services: list[Service], days: list[dt.date], schedule: ServiceSchedule,
                      now: dt.datetime) -> str:
    """The reminder of the week's deadlines shown above the grid (guide, section 4)."""
    if not services:
        return ""  # no child is enrolled: the grid says so, child by child
    upcoming, running = [], False
    for service in services:
        for day in days:
            if schedule.runs_on(service, day):
                running = True
                moment = schedule.booking_deadline(service, day)
                if moment > now:
                    upcoming.append(moment)
    if not running:
        return _("Aucune prestation n'a lieu cette semaine.")
    if not upcoming:
        return _("Les réservations de cette semaine sont closes.")
    # The next deadline for this week's days, which may fall in the week before.
    first = min(upcoming).astimezone(schedule.tz)
    return _("Les réservations sont à effectuer avant la date butoir de chaque prestation. "
             "Prochaine date butoir : %(moment)s.") % {"moment": date_format(first, "l j F Y à H:i")}


# --- staff: attendance sheet ---------------------------------------------------------------------

@dataclass
class AttendanceRow:
    booking: Booking
    child: Child
    diet: str
    allergies: str
    care_plan: bool
    school_class: str


def attendance_sheet(service: Service, day: dt.date, *, only: int | None = None) -> list[AttendanceRow]:
    """The children booked on `day` for `service`, with their diet, allergy and PAI flags and class
    (and their declared absence); `only`: the row of that booking alone."""
    placements = SchoolPlacement.objects.filter(school_year=school_year_of(day))
    bookings = Booking.objects.filter(service=service, date=day, status=Booking.Status.BOOKED)
    if only is not None:
        bookings = bookings.filter(pk=only)
    bookings = (bookings.select_related("child", "child__household", "absence")
                .prefetch_related("child__allergies", Prefetch("child__placements", queryset=placements))
                .order_by("child__last_name", "child__first_name"))
    rows = []
    for booking in bookings:
        child = booking.child
        placement = next(iter(child.placements.all()), None)
        rows.append(AttendanceRow(
            booking=booking, child=child,
            diet=child.get_diet_display() if child.diet else "",
            allergies=", ".join(allergy.name for allergy in child.allergies.all()),
            care_plan=child.care_plan,
            school_class=placement.school_class or placement.level if placement else "",
        ))
    return rows
