"""Booking and cancellation deadlines: pure functions, no database.

A rule closes a day's bookings at HH:MM on the day itself, or N days before (calendar or
working days), or, for a period such as the summer holidays, at one fixed moment. Every
moment is computed in the town's time zone from *dates*, never by adding 24-hour spans, so
the answer is right on the days the clocks change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SAME_DAY_TIME = "same_day_time"
DAYS_BEFORE = "days_before"
FIXED_DATE = "fixed_date"
CALENDAR_DAYS = "calendar"
WORKING_DAYS = "working"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    closes_at: dt.datetime

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class DeadlineRule:
    mode: str = SAME_DAY_TIME
    time: dt.time = dt.time(8, 30)
    days: int = 0
    day_kind: str = CALENDAR_DAYS
    periods: tuple[Period, ...] = ()


def booking_rule_of(service, periods: Iterable = ()) -> DeadlineRule:
    return DeadlineRule(
        mode=service.deadline_mode, time=service.deadline_time, days=service.deadline_days,
        day_kind=service.deadline_day_kind, periods=_periods(periods),
    )


def cancellation_rule_of(service, periods: Iterable = ()) -> DeadlineRule:
    """The separate cancellation rule when the town set one, otherwise the booking rule."""
    if not service.cancellation_mode:
        return booking_rule_of(service, periods)
    return DeadlineRule(
        mode=service.cancellation_mode, time=service.cancellation_time or service.deadline_time,
        days=service.cancellation_days, day_kind=service.cancellation_day_kind, periods=_periods(periods),
    )


def _periods(periods: Iterable) -> tuple[Period, ...]:
    return tuple(p if isinstance(p, Period) else Period(p.start, p.end, p.closes_at) for p in periods)


def is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def step_back(day: dt.date, days: int, *, day_kind: str,
              is_working_day: Callable[[dt.date], bool] | None = None) -> dt.date:
    """The date `days` calendar or working days before `day`.

    Working days are neither weekend days nor public holidays; the result is itself a working day.
    """
    if day_kind != WORKING_DAYS or days == 0:
        return day - dt.timedelta(days=days)
    working = is_working_day or (lambda d: not is_weekend(d))
    current, remaining = day, days
    while remaining:
        current -= dt.timedelta(days=1)
        if working(current):
            remaining -= 1
    return current


def local_moment(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """`day` at `time` in `tz`, as an aware datetime normalised through UTC.

    A wall time that does not exist (skipped by the spring change) lands on the moment just
    after the gap (02:30 → 03:30 CEST); an ambiguous one (autumn) is its first occurrence.
    """
    naive = dt.datetime.combine(day, time)
    return naive.replace(tzinfo=tz).astimezone(dt.UTC).astimezone(tz)


def deadline_for(rule: DeadlineRule, day: dt.date, *, tz: ZoneInfo,
                 is_working_day: Callable[[dt.date], bool] | None = None) -> dt.datetime:
    """The last moment (exclusive) a booking for `day` can be made under `rule`."""
    if rule.mode == FIXED_DATE:
        for period in rule.periods:
            if period.covers(day):
                return period.closes_at.astimezone(tz)
        # A day outside every period falls back to the "N days before at HH:MM" part of the rule.
    days = 0 if rule.mode == SAME_DAY_TIME else rule.days
    return local_moment(step_back(day, days, day_kind=rule.day_kind, is_working_day=is_working_day), rule.time, tz)


def is_open(rule: DeadlineRule, day: dt.date, *, now: dt.datetime, tz: ZoneInfo,
            is_working_day: Callable[[dt.date], bool] | None = None) -> bool:
    """Still time to book (or cancel) `day`: `now` is strictly before the deadline."""
    return now < deadline_for(rule, day, tz=tz, is_working_day=is_working_day)
