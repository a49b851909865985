"""A town's calendar: public holidays (Alsace-Moselle and overseas included), the school
holidays of its zone (or the town's own school calendar, when staff entered one: overseas
académies are not in the national data), and the closure days staff add. Says whether a
service runs on a day.

Holiday tables come from maintained packages (`holidays`, `vacances-scolaires-france`, which
ships its data: no network); they are loaded once per process. Closure days are read from the
town's schema once per `TownCalendar` (one per request or service call, for a date range).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass, field

import holidays
from django.db.models import F, IntegerField, Value
from django.utils.translation import gettext as _
from vacances_scolaires_france import SchoolHolidayDates

from tenants.current import current_town
from tenants.models import Town
from tenants.territories import holiday_subdivision

__all__ = ["TownCalendar", "holiday_subdivision", "public_holiday_name", "school_holiday_name",
           "school_holidays_known_until"]

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=32)
def _public_holidays(subdiv: str | None, year: int) -> dict[dt.date, str]:
    table = holidays.France(years=year, subdiv=subdiv, language="fr")
    return dict(table.items())


@functools.lru_cache(maxsize=1)
def _school_holiday_dates() -> SchoolHolidayDates:
    return SchoolHolidayDates()


@functools.lru_cache(maxsize=4)
def school_holidays_known_until(zone: str) -> dt.date:
    """The last day of the last school holidays of `zone` the data carries.

    Past it the package says "school day" for every day, holidays included: nothing is known.
    """
    dates = _school_holiday_dates()
    key = dates.zone_key(zone)
    return max(day for day, entry in dates.data.items() if entry[key])


@functools.lru_cache(maxsize=4096)
def school_holiday_name(day: dt.date, zone: str) -> str | None:
    """The name of the school holidays of `zone` covering `day`, or None (also outside the data)."""
    dates = _school_holiday_dates()
    try:
        if not dates.is_holiday_for_zone(day, zone):
            return None
    except Exception:  # the package raises its own errors for years it has no data for
        logger.warning("No school holiday data for %s (zone %s)", day, zone)
        return None
    entry = dates.data.get(day) if isinstance(getattr(dates, "data", None), dict) else None
    return (entry or {}).get("nom_vacances") or _("Vacances scolaires")


def public_holiday_name(day: dt.date, insee_code: str | None = None) -> str | None:
    return _public_holidays(holiday_subdivision(insee_code), day.year).get(day)


@dataclass
class TownCalendar:
    """The calendar of one town over a range of dates."""

    zone: str = "B"
    insee_code: str = ""
    # date -> list of (service_id or None for the whole town, reason)
    closures: dict[dt.date, list[tuple[int | None, str]]] = field(default_factory=dict)
    # The town's own school holidays (name, first day, last day); None: its zone's national ones
    own_school_holidays: list[tuple[str, dt.date, dt.date]] | None = None

    @classmethod
    def for_range(cls, start: dt.date, end: dt.date, *, town: Town | None = None) -> TownCalendar:
        """The current town's calendar with its closure days from `start` to `end` (one query)."""
        from .models import ClosureDay, SchoolHolidayPeriod

        town = town or current_town()
        closures: dict[dt.date, list[tuple[int | None, str]]] = {}
        own: list[tuple[str, dt.date, dt.date]] = []
        # One query: the range's closure days and every school holiday period the town entered.
        rows = ClosureDay.objects.filter(date__range=(start, end)).annotate(
            kind=Value("closure"), last=F("date")).values_list("kind", "date", "last", "service_id", "reason")
        periods = SchoolHolidayPeriod.objects.annotate(
            kind=Value("school"), service_id=Value(None, output_field=IntegerField())).values_list(
            "kind", "start", "end", "service_id", "name")
        for kind, first, last, service_id, label in rows.union(periods, all=True):
            if kind == "closure":
                closures.setdefault(first, []).append((service_id, label))
            else:
                own.append((label, first, last))
        own_holidays = sorted(own, key=lambda period: period[1]) or None
        if town is None:  # a bare schema_context(): the default zone, metropolitan holidays
            return cls(closures=closures, own_school_holidays=own_holidays)
        return cls(zone=town.school_zone or "B", insee_code=town.insee_code, closures=closures,
                   own_school_holidays=own_holidays)

    def public_holiday(self, day: dt.date) -> str | None:
        return public_holiday_name(day, self.insee_code)

    def school_holiday(self, day: dt.date) -> str | None:
        if self.own_school_holidays is not None:
            return next((name for name, first, last in self.own_school_holidays if first <= day <= last), None)
        return school_holiday_name(day, self.zone)

    @property
    def school_holidays_known_until(self) -> dt.date:
        if self.own_school_holidays is not None:
            return max(last for _name, _first, last in self.own_school_holidays)
        return school_holidays_known_until(self.zone)

    def is_school_holiday(self, day: dt.date) -> bool:
        return self.school_holiday(day) is not None

    def is_working_day(self, day: dt.date) -> bool:
        """Neither a weekend day nor a public holiday (for "N working days before" rules)."""
        return day.weekday() < 5 and self.public_holiday(day) is None

    def closure(self, day: dt.date, service_id: int | None = None) -> str | None:
        for closed_service, reason in self.closures.get(day, ()):
            if closed_service is None or closed_service == service_id:
                return reason
        return None

    def why_not_running(self, service, day: dt.date, given_dates: set[dt.date] | None = None) -> tuple[str, str] | None:
        """None if `service` runs on `day`, else (kind, French reason).

        kind is "not_service_day" (not one of its days) or "closed" (closure day or public holiday).
        """
        if service.calendar == service.Calendar.GIVEN_DATES:
            if day not in (given_dates or set()):
                return "not_service_day", _("%(service)s n'a pas lieu ce jour") % {"service": service.name}
        elif day.weekday() not in service.weekdays:
            return "not_service_day", _("%(service)s n'a pas lieu ce jour") % {"service": service.name}
        holiday = self.public_holiday(day)
        if holiday:
            return "closed", _("Jour férié : %(name)s") % {"name": holiday}
        reason = self.closure(day, service.pk)
        if reason:
            return "closed", _("Fermeture : %(reason)s") % {"reason": reason}
        if service.calendar == service.Calendar.SCHOOL_DAYS and self.is_school_holiday(day):
            return "not_service_day", _("Vacances scolaires : pas de %(service)s") % {"service": service.name}
        if service.calendar == service.Calendar.SCHOOL_HOLIDAYS and not self.is_school_holiday(day):
            return "not_service_day", _("Uniquement pendant les vacances scolaires")
        return None

    def runs_on(self, service, day: dt.date, given_dates: set[dt.date] | None = None) -> bool:
        return self.why_not_running(service, day, given_dates) is None
