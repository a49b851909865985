"""Reads of bookings, scoped to the caller (a household) or to a staff screen."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
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
              only_service_id: int | None = None) -> WeekGrid:
    """The household's week: per child, one row per enrolled service, one cell per day.

    A constant number of queries whatever the number of children and services.
    """
    now = now or timezone.now()
    week = [monday + dt.timedelta(days=i) for i in range(7)]
    children = list(children_of(household))
    if only_child_id is not None:
        children = [c for c in children if c.pk == only_child_id]
    child_ids = [c.pk for c in children]
    years = school_years_between(week[0], week[-1])
    enrolments = list(
        Enrolment.objects.filter(child_id__in=child_ids, school_year__in=years, service__is_active=True)
        .select_related("service")
    )
    enrolled: dict[tuple[int, str], set[int]] = defaultdict(set)
    services: dict[int, Service] = {}
    for enrolment in enrolments:
        enrolled[(enrolment.child_id, enrolment.school_year)].add(enrolment.service_id)
        services[enrolment.service_id] = enrolment.service
    if only_service_id is not None:
        services = {k: v for k, v in services.items() if k == only_service_id}
    ordered = sorted(services.values(), key=lambda s: (s.position, s.name))
    schedule = schedule_for(ordered, week[0], week[-1])
    bookings = {
        (b.child_id, b.service_id, b.date): b
        for b in Booking.objects.filter(child_id__in=child_ids, service_id__in=list(services),
                                        date__range=(week[0], week[-1]))
    }
    taken: dict[tuple[int, dt.date], int] = {}
    capped = [s.pk for s in ordered if s.capacity is not None]
    if capped:
        taken = {
            (row["service_id"], row["date"]): row["n"]
            for row in Booking.objects.filter(service_id__in=capped, date__range=(week[0], week[-1]),
                                              status=Booking.Status.BOOKED)
            .values("service_id", "date").annotate(n=Count("id"))
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
