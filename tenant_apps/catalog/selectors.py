"""Reads of services: which run when, their deadlines, who is enrolled."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from tenant_apps.core.clock import town_zone
from tenant_apps.families.models import Child, SchoolPlacement
from tenants.current import current_town
from tenants.models import Town

from . import deadlines
from .calendar import TownCalendar
from .models import Enrolment, Service, ServiceDate, ServicePeriod, school_year_of


def active_services() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True).order_by("position", "name")


def school_years_between(start: dt.date, end: dt.date) -> list[str]:
    years = {school_year_of(start), school_year_of(end)}
    return sorted(years)


@dataclass
class ServiceSchedule:
    """When services run and when their bookings close, over a date range (loaded in ≤ 3 queries)."""

    calendar: TownCalendar
    tz: zoneinfo.ZoneInfo
    given_dates: dict[int, set[dt.date]] = field(default_factory=dict)
    periods: dict[int, list[ServicePeriod]] = field(default_factory=dict)

    def why_not_running(self, service: Service, day: dt.date) -> tuple[str, str] | None:
        return self.calendar.why_not_running(service, day, self.given_dates.get(service.pk))

    def runs_on(self, service: Service, day: dt.date) -> bool:
        return self.why_not_running(service, day) is None

    def booking_deadline(self, service: Service, day: dt.date) -> dt.datetime:
        rule = deadlines.booking_rule_of(service, self.periods.get(service.pk, ()))
        return deadlines.deadline_for(rule, day, tz=self.tz, is_working_day=self.calendar.is_working_day)

    def cancellation_deadline(self, service: Service, day: dt.date) -> dt.datetime:
        rule = deadlines.cancellation_rule_of(service, self.periods.get(service.pk, ()))
        return deadlines.deadline_for(rule, day, tz=self.tz, is_working_day=self.calendar.is_working_day)


def schedule_for(services: Iterable[Service], start: dt.date, end: dt.date, *,
                 town: Town | None = None) -> ServiceSchedule:
    town = town or current_town()
    services = list(services)
    # Working-day rules look back before `start`: widen the closure window by a few weeks.
    calendar = TownCalendar.for_range(start - dt.timedelta(days=31), end, town=town)
    schedule = ServiceSchedule(calendar=calendar, tz=town.zoneinfo if town is not None else town_zone())
    given = [s.pk for s in services if s.calendar == Service.Calendar.GIVEN_DATES]
    if given:
        dates: dict[int, set[dt.date]] = defaultdict(set)
        for service_id, day in ServiceDate.objects.filter(service_id__in=given, date__range=(start, end)).values_list(
                "service_id", "date"):
            dates[service_id].add(day)
        schedule.given_dates = dict(dates)
    fixed = [s.pk for s in services if Service.DeadlineMode.FIXED_DATE in (s.deadline_mode, s.cancellation_mode)]
    if fixed:
        periods: dict[int, list[ServicePeriod]] = defaultdict(list)
        for period in ServicePeriod.objects.filter(service_id__in=fixed, end__gte=start, start__lte=end):
            periods[period.service_id].append(period)
        schedule.periods = dict(periods)
    return schedule


def enrolments_by_child(child_ids: Iterable[int], school_years: Iterable[str]) -> dict[tuple[int, str], set[int]]:
    """{(child id, school year): {service ids}} in one query."""
    result: dict[tuple[int, str], set[int]] = defaultdict(set)
    for child_id, year, service_id in Enrolment.objects.filter(
            child_id__in=list(child_ids), school_year__in=list(school_years)).values_list(
            "child_id", "school_year", "service_id"):
        result[(child_id, year)].add(service_id)
    return result


def is_enrolled(child: Child, service: Service, day: dt.date) -> bool:
    if not service.enrolment_required:
        return True
    return Enrolment.objects.filter(child=child, service=service, school_year=school_year_of(day)).exists()


def enrolments_of(child: Child, school_year: str) -> QuerySet[Enrolment]:
    """The child's enrolments (inscriptions) for a school year, in the grid's order."""
    return (Enrolment.objects.filter(child=child, school_year=school_year).select_related("service")
            .order_by("service__position", "service__name"))


# --- staff: mass enrolment ------------------------------------------------------------------------

@dataclass
class ChildFilter:
    """The staff's filter of children on the enrolments page, for one school year."""

    school_year: str
    school: str = ""
    level: str = ""
    school_class: str = ""
    query: str = ""
    not_enrolled_in: int | None = None  # a service id

    PARAMS = {"ecole": "school", "niveau": "level", "classe": "school_class", "q": "query"}

    @classmethod
    def from_params(cls, params: Mapping[str, str], school_year: str) -> ChildFilter:
        values = {attr: params.get(name, "").strip()[:150] for name, attr in cls.PARAMS.items()}
        service = params.get("non_inscrit", "")
        return cls(school_year=school_year, not_enrolled_in=int(service) if service.isdigit() else None, **values)

    def as_params(self) -> dict[str, str]:
        params = {name: getattr(self, attr) for name, attr in self.PARAMS.items() if getattr(self, attr)}
        if self.not_enrolled_in:
            params["non_inscrit"] = str(self.not_enrolled_in)
        return {"annee": self.school_year, **params}


def children_matching(child_filter: ChildFilter) -> QuerySet[Child]:
    """The town's children matching the staff's filter (school, level and class of that school year, name,
    not enrolled in a service), in alphabetical order."""
    year = child_filter.school_year
    children = Child.objects.order_by("last_name", "first_name", "pk")
    placement = {}
    if child_filter.school:
        placement["placements__school"] = child_filter.school
    if child_filter.level:
        placement["placements__level"] = child_filter.level
    if child_filter.school_class:
        placement["placements__school_class"] = child_filter.school_class
    if placement:
        children = children.filter(placements__school_year=year, **placement)
    for word in child_filter.query.split():
        children = children.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                                   | Q(household__name__icontains=word))
    if child_filter.not_enrolled_in:
        children = children.exclude(enrolments__service_id=child_filter.not_enrolled_in,
                                    enrolments__school_year=year)
    return children


def children_for_enrolment(child_filter: ChildFilter) -> QuerySet[Child]:
    """`children_matching`, with each child's household, placement and enrolments of that school year
    (a constant number of queries for a page: `year_placements`, `year_enrolments`)."""
    year = child_filter.school_year
    return children_matching(child_filter).select_related("household").prefetch_related(
        Prefetch("placements", queryset=SchoolPlacement.objects.filter(school_year=year), to_attr="year_placements"),
        Prefetch("enrolments", queryset=Enrolment.objects.filter(school_year=year).select_related("service")
                 .order_by("service__position", "service__name"), to_attr="year_enrolments"),
    )


def placement_choices(school_year: str) -> dict[str, list[str]]:
    """The schools, levels and classes recorded for a school year (the filter's options), in one query."""
    schools, levels, classes = set(), set(), set()
    for school, level, school_class in SchoolPlacement.objects.filter(school_year=school_year).values_list(
            "school", "level", "school_class").distinct():
        schools.add(school)
        levels.add(level)
        classes.add(school_class)
    return {"schools": sorted(schools - {""}), "levels": sorted(levels - {""}), "classes": sorted(classes - {""})}


@dataclass
class RenewalLine:
    service: Service
    to_create: int
    already_enrolled: int


def renewal_preview(*, from_year: str, to_year: str, services: Iterable[Service] | None = None) -> list[RenewalLine]:
    """Per service, how many enrolments of `from_year` a renewal would create in `to_year` and how many exist."""
    from .services import renewal_source

    existing = Enrolment.objects.filter(child_id=OuterRef("child_id"), service_id=OuterRef("service_id"),
                                        school_year=to_year)
    rows = (renewal_source(from_year=from_year, services=services).annotate(renewed=Exists(existing))
            .values("service_id").annotate(total=Count("id"), already=Count("id", filter=Q(renewed=True))))
    counts = {row["service_id"]: row for row in rows}
    lines = [RenewalLine(service, counts[service.pk]["total"] - counts[service.pk]["already"],
                         counts[service.pk]["already"])
             for service in Service.objects.filter(pk__in=list(counts)).order_by("position", "name")]
    return lines
