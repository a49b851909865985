"""Reads of services: which run when, their deadlines, who is enrolled."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from . import deadlines
from .calendar import TownCalendar
from .models import Enrolment, Service, ServiceDate, ServicePeriod, school_year_of


def active_services():
    return Service.objects.filter(is_active=True).order_by("position", "name")


def school_years_between(start: dt.date, end: dt.date) -> list[str]:
    years = {school_year_of(start), school_year_of(end)}
    return sorted(years)


@dataclass
class ServiceSchedule:
    """When services run and when their bookings close, over a date range (loaded in ≤ 3 queries)."""

    calendar: TownCalendar
    tz: object
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


def schedule_for(services: Iterable[Service], start: dt.date, end: dt.date, *, town=None) -> ServiceSchedule:
    town = town or connection.tenant
    services = list(services)
    # Working-day rules look back before `start`: widen the closure window by a few weeks.
    calendar = TownCalendar.for_range(start - dt.timedelta(days=31), end, town=town)
    schedule = ServiceSchedule(calendar=calendar, tz=town.zoneinfo)
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


def is_enrolled(child, service: Service, day: dt.date) -> bool:
    if not service.enrolment_required:
        return True
    return Enrolment.objects.filter(child=child, service=service, school_year=school_year_of(day)).exists()


def enrolments_of(child, school_year: str):
    """The child's enrolments (inscriptions) for a school year, in the grid's order."""
    return (Enrolment.objects.filter(child=child, school_year=school_year).select_related("service")
            .order_by("service__position", "service__name"))
