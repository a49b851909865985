"""Deadline rules, computed in the town's time zone from dates (frozen clock where it matters)."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from tenant_apps.catalog import deadlines
from tenant_apps.catalog.calendar import TownCalendar
from tenant_apps.catalog.deadlines import DeadlineRule, Period

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC


def open_now(rule, day, **kwargs):
    from django.utils import timezone

    return deadlines.is_open(rule, day, now=timezone.now(), tz=PARIS, **kwargs)


def test_same_day_at_0830_closes_at_0830_local_time():
    # Given Repas Enfant closes at 08:30 on the day itself
    rule = DeadlineRule(mode=deadlines.SAME_DAY_TIME, time=dt.time(8, 30))
    day = dt.date(2026, 11, 27)
    # When a parent books at 08:29 Paris time, it is still open; at 08:30 it is closed
    with time_machine.travel(dt.datetime(2026, 11, 27, 8, 29, 59, tzinfo=PARIS), tick=False):
        assert open_now(rule, day)
    with time_machine.travel(dt.datetime(2026, 11, 27, 8, 30, tzinfo=PARIS), tick=False):
        assert not open_now(rule, day)
    # And the next day is still open
    with time_machine.travel(dt.datetime(2026, 11, 27, 8, 30, tzinfo=PARIS), tick=False):
        assert open_now(rule, dt.date(2026, 11, 30))


def test_n_calendar_days_before():
    # Given a rule "2 days before at 18:00" (calendar days)
    rule = DeadlineRule(mode=deadlines.DAYS_BEFORE, time=dt.time(18, 0), days=2)
    # Then Monday 30 November closes on Saturday 28 at 18:00
    assert deadlines.deadline_for(rule, dt.date(2026, 11, 30), tz=PARIS) == dt.datetime(2026, 11, 28, 18, 0,
                                                                                         tzinfo=PARIS)
    with time_machine.travel(dt.datetime(2026, 11, 28, 17, 59, tzinfo=PARIS), tick=False):
        assert open_now(rule, dt.date(2026, 11, 30))
    with time_machine.travel(dt.datetime(2026, 11, 28, 18, 0, tzinfo=PARIS), tick=False):
        assert not open_now(rule, dt.date(2026, 11, 30))


def test_n_working_days_before_skips_the_weekend():
    # Given "2 working days before at 10:00"
    rule = DeadlineRule(mode=deadlines.DAYS_BEFORE, time=dt.time(10, 0), days=2, day_kind=deadlines.WORKING_DAYS)
    calendar = TownCalendar(zone="B")
    # Then Monday 30 November 2026 closes on Thursday 26 at 10:00 (Friday is 1, Thursday is 2)
    deadline = deadlines.deadline_for(rule, dt.date(2026, 11, 30), tz=PARIS, is_working_day=calendar.is_working_day)
    assert deadline == dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=PARIS), tick=False):
        assert not open_now(rule, dt.date(2026, 11, 30), is_working_day=calendar.is_working_day)


def test_n_working_days_before_skips_a_weekend_and_a_public_holiday():
    # Given "2 working days before at 12:00"; Wednesday 11 November 2026 is Armistice day
    rule = DeadlineRule(mode=deadlines.DAYS_BEFORE, time=dt.time(12, 0), days=2, day_kind=deadlines.WORKING_DAYS)
    calendar = TownCalendar(zone="B")
    # Then Thursday 12 November closes on Monday 9 (Wed 11 is a holiday: Tue 10 is 1, Mon 9 is 2)
    assert deadlines.deadline_for(rule, dt.date(2026, 11, 12), tz=PARIS,
                                  is_working_day=calendar.is_working_day) == dt.datetime(2026, 11, 9, 12, 0,
                                                                                         tzinfo=PARIS)
    # And Monday 16 closes on Thursday 12 (weekend skipped, no holiday)
    assert deadlines.deadline_for(rule, dt.date(2026, 11, 16), tz=PARIS,
                                  is_working_day=calendar.is_working_day).date() == dt.date(2026, 11, 12)
    # And with 4 working days, Monday 16 crosses both: Fri 13, Thu 12, Tue 10, Mon 9 (Wed 11 skipped)
    rule3 = DeadlineRule(mode=deadlines.DAYS_BEFORE, time=dt.time(12, 0), days=4, day_kind=deadlines.WORKING_DAYS)
    assert deadlines.deadline_for(rule3, dt.date(2026, 11, 16), tz=PARIS,
                                  is_working_day=calendar.is_working_day).date() == dt.date(2026, 11, 9)


def test_fixed_closing_date_for_a_period():
    # Given the Christmas holidays close for booking on 10 December at 23:59
    period = Period(dt.date(2026, 12, 21), dt.date(2027, 1, 1), dt.datetime(2026, 12, 10, 23, 59, tzinfo=PARIS))
    rule = DeadlineRule(mode=deadlines.FIXED_DATE, time=dt.time(12, 0), days=3, periods=(period,))
    # Then every day of the period closes then
    with time_machine.travel(dt.datetime(2026, 12, 10, 23, 58, tzinfo=PARIS), tick=False):
        assert open_now(rule, dt.date(2026, 12, 30))
    with time_machine.travel(dt.datetime(2026, 12, 10, 23, 59, tzinfo=PARIS), tick=False):
        assert not open_now(rule, dt.date(2026, 12, 21))
        assert not open_now(rule, dt.date(2027, 1, 1))
        # And a day outside the period falls back on "3 days before at 12:00"
        assert open_now(rule, dt.date(2026, 12, 14))
    assert deadlines.deadline_for(rule, dt.date(2026, 12, 14), tz=PARIS) == dt.datetime(2026, 12, 11, 12, 0,
                                                                                         tzinfo=PARIS)


def test_dst_spring_day_same_day_deadline():
    # Given Sunday 29 March 2026 (clocks go from 02:00 to 03:00) and a deadline at 08:30
    rule = DeadlineRule(mode=deadlines.SAME_DAY_TIME, time=dt.time(8, 30))
    deadline = deadlines.deadline_for(rule, dt.date(2026, 3, 29), tz=PARIS)
    # Then it is 08:30 summer time, i.e. 06:30 UTC (not 07:30)
    assert deadline.astimezone(UTC) == dt.datetime(2026, 3, 29, 6, 30, tzinfo=UTC)
    with time_machine.travel(dt.datetime(2026, 3, 29, 6, 29, tzinfo=UTC), tick=False):
        assert open_now(rule, dt.date(2026, 3, 29))
    with time_machine.travel(dt.datetime(2026, 3, 29, 6, 30, tzinfo=UTC), tick=False):
        assert not open_now(rule, dt.date(2026, 3, 29))


def test_dst_spring_day_nonexistent_time_lands_after_the_gap():
    # Given a deadline at 02:30, a time that does not exist on 29 March 2026
    rule = DeadlineRule(mode=deadlines.SAME_DAY_TIME, time=dt.time(2, 30))
    deadline = deadlines.deadline_for(rule, dt.date(2026, 3, 29), tz=PARIS)
    # Then it closes at 03:30 summer time (01:30 UTC), a real instant
    assert deadline.astimezone(UTC) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert deadline.utcoffset() == dt.timedelta(hours=2)


def test_dst_autumn_day_and_days_before_across_the_change():
    # Given Sunday 25 October 2026 (clocks go back from 03:00 to 02:00)
    rule = DeadlineRule(mode=deadlines.SAME_DAY_TIME, time=dt.time(8, 30))
    # Then 08:30 that day is winter time, 07:30 UTC
    assert deadlines.deadline_for(rule, dt.date(2026, 10, 25), tz=PARIS).astimezone(UTC) == dt.datetime(
        2026, 10, 25, 7, 30, tzinfo=UTC)
    # And "1 day before at 23:59" for Monday 26 is Sunday 25 at 23:59 winter time (22:59 UTC),
    # not 24 hours before Monday's midnight computed in summer time
    before = DeadlineRule(mode=deadlines.DAYS_BEFORE, time=dt.time(23, 59), days=1)
    deadline = deadlines.deadline_for(before, dt.date(2026, 10, 26), tz=PARIS)
    assert deadline.astimezone(UTC) == dt.datetime(2026, 10, 25, 22, 59, tzinfo=UTC)
    with time_machine.travel(dt.datetime(2026, 10, 25, 22, 58, tzinfo=UTC), tick=False):
        assert open_now(before, dt.date(2026, 10, 26))
    with time_machine.travel(dt.datetime(2026, 10, 25, 22, 59, tzinfo=UTC), tick=False):
        assert not open_now(before, dt.date(2026, 10, 26))
    # And across the spring change: "1 day before at 23:59" for Monday 30 March is 21:59 UTC on the 29th
    assert deadlines.deadline_for(before, dt.date(2026, 3, 30), tz=PARIS).astimezone(UTC) == dt.datetime(
        2026, 3, 29, 21, 59, tzinfo=UTC)


def test_overseas_town_uses_its_own_time_zone():
    # Given a town in Réunion (UTC+4), a same-day 08:30 deadline is 04:30 UTC
    rule = DeadlineRule(mode=deadlines.SAME_DAY_TIME, time=dt.time(8, 30))
    reunion = ZoneInfo("Indian/Reunion")
    assert deadlines.deadline_for(rule, dt.date(2026, 11, 27), tz=reunion).astimezone(UTC) == dt.datetime(
        2026, 11, 27, 4, 30, tzinfo=UTC)
