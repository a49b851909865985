"""Every write to bookings: one booking set/unset, bulk booking, attendance.

The portal pages, the REST API and the admin call these functions. Whether a day may be booked or
cancelled is decided by `rules.py` (closed days, enrolment, deadlines, invoiced bookings, capacity),
the same functions the grid and the bulk plan ask; here: staff overriding deadlines (recorded),
capacity never exceeded under concurrent requests (service-days are locked), and the audit trail
of every change.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.catalog.calendar import TownCalendar
from tenant_apps.catalog.models import Service, school_year_of
from tenant_apps.catalog.selectors import enrolments_by_child, schedule_for, school_years_between
from tenant_apps.families.models import Child
from tenants.current import current_schema

from . import rules
from .errors import (
    BookingInvoiced,
    BookingRefusal,
    DeadlinePassed,
    InvalidBulkRequest,
    OverrideNotAllowed,
)
from .models import Booking, BookingChange
from .selectors import services_with_enrolments

Source = BookingChange.Source
MAX_BULK_DAYS = 400


# --- locking -----------------------------------------------------------------------------------

def _lock_key(service_id: int) -> int:
    """A 32-bit signed key per (town schema, service): advisory locks are database-wide."""
    return zlib.crc32(f"{current_schema()}:{service_id}".encode()) - 2**31


def lock_service_days(service_id: int, days: Iterable[dt.date]) -> None:
    """Serialise writers of the same service-days until the transaction ends (sorted: no deadlock)."""
    ordinals = sorted({day.toordinal() for day in days})
    if not ordinals:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, d)) FROM unnest(%s::int[]) AS d",
            [_lock_key(service_id), ordinals],
        )


def _check_override(override: bool, actor: Actor) -> None:
    if override and not (actor is not None and getattr(actor, "is_staff", False)):
        raise OverrideNotAllowed()


def _record(booking: Booking, action: str, *, actor: Actor, source: str, override: bool = False,
            detail: str = "") -> None:
    BookingChange.objects.create(booking=booking, action=action, actor=signed_in(actor), source=source,
                                 override=override, detail=detail)


# --- one booking ---------------------------------------------------------------------------------

@transaction.atomic
def booking_set(*, child: Child, service: Service, day: dt.date, actor: Actor, source: str, override: bool = False,
                now: dt.datetime | None = None) -> Booking:
    """Book `day` of `service` for `child` (idempotent if already booked); `rules.booking_refusal` decides."""
    _check_override(override, actor)
    booking = _locked_booking(child=child, service=service, day=day)
    if booking is not None and booking.is_booked:
        return booking
    facts = _facts_of_day(child=child, service=service, day=day, booking=booking, override=override,
                          now=now or timezone.now())
    refusal = rules.booking_refusal(facts)
    if refusal is not None:
        raise refusal
    if booking is None:
        booking = Booking.objects.create(child=child, service=service, date=day, status=Booking.Status.BOOKED)
    else:
        booking.status = Booking.Status.BOOKED
        booking.save(update_fields=["status", "updated_at"])
    _record(booking, BookingChange.Action.BOOKED, actor=actor, source=source, override=facts.booking_late and override)
    return booking


@transaction.atomic
def booking_unset(*, child: Child, service: Service, day: dt.date, actor: Actor, source: str, override: bool = False,
                  now: dt.datetime | None = None) -> Booking | None:
    """Cancel the booking of `day` (idempotent: nothing booked, nothing done); `rules.cancellation_refusal` decides."""
    _check_override(override, actor)
    booking = _locked_booking(child=child, service=service, day=day)
    if booking is None or not booking.is_booked:
        return booking
    facts = _facts_of_day(child=child, service=service, day=day, booking=booking, override=override,
                          now=now or timezone.now())
    refusal = rules.cancellation_refusal(facts)
    if refusal is not None:
        raise refusal
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    _record(booking, BookingChange.Action.CANCELLED, actor=actor, source=source,
            override=facts.cancellation_late and override)
    return booking


def _locked_booking(*, child: Child, service: Service, day: dt.date) -> Booking | None:
    """The child's booking of the day, once the service-day is locked (places are counted under the lock)."""
    lock_service_days(service.pk, [day])
    return Booking.objects.select_for_update().filter(child=child, service=service, date=day).first()


def _facts_of_day(*, child: Child, service: Service, day: dt.date, booking: Booking | None, override: bool,
                  now: dt.datetime) -> rules.BookingFacts:
    """What the rules need for one day: the calendar and deadlines, the enrolment, the places taken."""
    taken = 0
    if service.capacity is not None:
        taken = Booking.objects.filter(service=service, date=day, status=Booking.Status.BOOKED).count()
    year = school_year_of(day)
    enrolled = service.pk in enrolments_by_child([child.pk], [year]).get((child.pk, year), set())
    return rules.booking_facts(service=service, day=day, schedule=schedule_for([service], day, day),
                               enrolled=enrolled, booking=booking, taken=taken, now=now, override=override)


booking_cancel = booking_unset


@transaction.atomic
def bookings_cancel_between(*, child: Child, service: Service, start: dt.date, end: dt.date, actor: Actor,
                            source: str,
                            override: bool = False, detail: str = "", now: dt.datetime | None = None) -> list[Booking]:
    """Cancel every booking of `child` for `service` from `start` to `end` (e.g. when staff end an enrolment).

    All or nothing: an invoiced booking in the range refuses the whole operation, and so does a passed
    cancellation deadline unless a staff member overrides it (the override is recorded per booking).
    """
    _check_override(override, actor)
    now = now or timezone.now()
    booked = Booking.objects.filter(child=child, service=service, date__range=(start, end),
                                    status=Booking.Status.BOOKED)
    lock_service_days(service.pk, booked.values_list("date", flat=True))
    bookings = list(booked.select_for_update().order_by("date"))
    if not bookings:
        return []
    if any(booking.invoiced for booking in bookings):
        raise BookingInvoiced()
    schedule = schedule_for([service], bookings[0].date, bookings[-1].date)
    late = {b.pk for b in bookings
            if schedule.runs_on(service, b.date) and now >= schedule.cancellation_deadline(service, b.date)}
    if late and not override:
        raise DeadlinePassed(_("La date butoir d'annulation est dépassée pour certains jours."))
    stamp = timezone.now()
    for booking in bookings:
        booking.status = Booking.Status.CANCELLED
        booking.updated_at = stamp
    Booking.objects.bulk_update(bookings, ["status", "updated_at"], batch_size=500)
    who = signed_in(actor)
    BookingChange.objects.bulk_create([
        BookingChange(booking=b, action=BookingChange.Action.CANCELLED, actor=who, source=source,
                      override=b.pk in late, detail=detail) for b in bookings], batch_size=1000)
    return bookings


@dataclass
class RowResult:
    booked: list[dt.date] = field(default_factory=list)
    refused: list[tuple[dt.date, str]] = field(default_factory=list)


def booking_set_week(*, child: Child, service: Service, days: list[dt.date], actor: Actor, source: str,
                     now: dt.datetime | None = None) -> RowResult:
    """"RÉSERVER POUR LA SEMAINE": book every day of the row that can still be booked."""
    result = RowResult()
    for day in days:
        try:
            with transaction.atomic():
                booking_set(child=child, service=service, day=day, actor=actor, source=source, now=now)
            result.booked.append(day)
        except BookingRefusal as error:
            result.refused.append((day, error.code))
    return result


# --- bulk booking --------------------------------------------------------------------------------

class BulkAction:
    ADD = "add"
    REPLACE = "replace"
    CHOICES = [(ADD, _lazy("Ajouter les nouvelles réservations à celles existantes")),
               (REPLACE, _lazy("Remplacer les réservations existantes (non facturées)"))]


class Criterion:
    NONE = "none"
    SCHOOL_WEEKS = "school_weeks"
    HOLIDAYS = "holidays"
    # Alternating custody: the first week of the range, then every other week, whatever the
    # ISO week numbers do at the turn of a 53-week year.
    ALTERNATE_WEEKS = "alternate_weeks"
    CHOICES = [(NONE, _lazy("Aucun")), (SCHOOL_WEEKS, _lazy("Semaines scolaires uniquement")),
               (HOLIDAYS, _lazy("Vacances scolaires uniquement")),
               (ALTERNATE_WEEKS, _lazy("Une semaine sur deux, à partir de la semaine de la date de début"))]
    # The former "semaines paires / impaires" (ISO week parity, which books two weeks in a row
    # across week 53): still accepted from API clients, as the alternation that starts with the
    # range's first week when its ISO number has that parity, with the week after otherwise.
    EVEN_WEEKS = "even_weeks"
    ODD_WEEKS = "odd_weeks"
    ALIAS_PARITY = {EVEN_WEEKS: 0, ODD_WEEKS: 1}
    ACCEPTED = [value for value, _label in CHOICES] + list(ALIAS_PARITY)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def alternation_first_week(*, criterion: str, start: dt.date) -> dt.date | None:
    """The Monday of the first booked week of an alternating criterion (None for the others)."""
    if criterion == Criterion.ALTERNATE_WEEKS:
        return _monday(start)
    if criterion in Criterion.ALIAS_PARITY:
        monday = _monday(start)
        if monday.isocalendar().week % 2 != Criterion.ALIAS_PARITY[criterion]:
            monday += dt.timedelta(weeks=1)
        return monday
    return None


def criterion_label(*, criterion: str, start: dt.date) -> str:
    """The criterion as the summary states it, with the exact first week of an alternation."""
    first_week = alternation_first_week(criterion=criterion, start=start)
    if first_week is not None:
        return _("Une semaine sur deux, à partir de la semaine du %(monday)s") % {
            "monday": first_week.strftime("%d/%m/%Y")}
    return str(dict(Criterion.CHOICES)[criterion])


SKIP_LABELS = {refusal.code: refusal.label for refusal in rules.REFUSALS}


@dataclass
class BulkPlan:
    """What a bulk booking creates, cancels and skips (with reasons), child by child."""

    to_create: list[tuple[Child, dt.date]] = field(default_factory=list)
    to_cancel: list[tuple[Child, dt.date]] = field(default_factory=list)
    skipped: list[tuple[Child, dt.date, str]] = field(default_factory=list)
    unchanged: int = 0
    applied: bool = False

    def skipped_counts(self) -> dict[str, int]:
        return dict(Counter(code for _child, _day, code in self.skipped))

    def skipped_summary(self) -> list[tuple[str, int]]:
        return [(str(SKIP_LABELS.get(code, code)), count) for code, count in self.skipped_counts().items()]

    def as_dict(self) -> dict:
        return {
            "to_create": [{"child": c.pk, "date": d.isoformat()} for c, d in self.to_create],
            "to_cancel": [{"child": c.pk, "date": d.isoformat()} for c, d in self.to_cancel],
            "skipped": [{"child": c.pk, "date": d.isoformat(), "code": code} for c, d, code in self.skipped],
            "unchanged": self.unchanged,
            "applied": self.applied,
        }


def _matches(day: dt.date, criterion: str, calendar: TownCalendar, first_week: dt.date | None) -> bool:
    if criterion == Criterion.SCHOOL_WEEKS:
        return not calendar.is_school_holiday(day)
    if criterion == Criterion.HOLIDAYS:
        return calendar.is_school_holiday(day)
    if first_week is not None:
        return day >= first_week and (day - first_week).days // 7 % 2 == 0
    return True


def _validate_bulk(start: dt.date, end: dt.date, action: str, criterion: str,
                   weekdays_by_child: Mapping[Child, Iterable[int]]) -> None:
    if end < start:
        raise InvalidBulkRequest(_("La date de fin doit suivre la date de début."))
    if (end - start).days > MAX_BULK_DAYS:
        raise InvalidBulkRequest(_("La période ne peut dépasser %(days)s jours.") % {"days": MAX_BULK_DAYS})
    if action not in (BulkAction.ADD, BulkAction.REPLACE):
        raise InvalidBulkRequest(_("Action inconnue."))
    if criterion not in Criterion.ACCEPTED:
        raise InvalidBulkRequest(_("Critère inconnu."))
    if not weekdays_by_child:
        raise InvalidBulkRequest(_("Choisissez au moins un enfant."))
    for days in weekdays_by_child.values():
        if any(d not in range(7) for d in days):
            raise InvalidBulkRequest(_("Jour de la semaine invalide."))


def _plan(*, service: Service, weekdays_by_child: Mapping[Child, Iterable[int]], start: dt.date, end: dt.date,
          action: str, criterion: str, now: dt.datetime, override: bool,
          lock: bool) -> tuple[BulkPlan, dict[tuple[int, dt.date], Booking]]:
    _validate_bulk(start, end, action, criterion, weekdays_by_child)
    children = list(weekdays_by_child)
    schedule = schedule_for([service], start, end)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    if lock:
        lock_service_days(service.pk, [d for d in days if schedule.runs_on(service, d)])
    years = school_years_between(start, end)
    # The enrolments and the places taken in one query (under the lock when applying).
    _found, enrolled, taken_by_day = services_with_enrolments(
        [service.pk], child_ids=[c.pk for c in children], years=years, start=start, end=end)
    existing_qs = Booking.objects.filter(child__in=children, service=service, date__range=(start, end))
    if lock:
        existing_qs = existing_qs.select_for_update()
    existing = {(b.child_id, b.date): b for b in existing_qs}
    taken: Counter[dt.date] = Counter()
    if service.capacity is not None:
        taken.update({day: n for (_service_id, day), n in taken_by_day.items()})

    first_week = alternation_first_week(criterion=criterion, start=start)
    plan = BulkPlan()
    for child in children:
        wanted_weekdays = set(weekdays_by_child[child])
        for day in days:
            booking = existing.get((child.pk, day))
            wanted = day.weekday() in wanted_weekdays and _matches(day, criterion, schedule.calendar, first_week)
            booked = booking is not None and booking.is_booked
            if wanted and booked:
                plan.unchanged += 1
                continue
            if not wanted and not (action == BulkAction.REPLACE and booked):
                continue
            year = school_year_of(day)
            facts = rules.booking_facts(service=service, day=day, schedule=schedule, booking=booking,
                                        enrolled=service.pk in enrolled.get((child.pk, year), set()),
                                        taken=taken[day], now=now, override=override)
            refusal = rules.booking_refusal(facts) if wanted else rules.cancellation_refusal(facts)
            if refusal is not None:
                plan.skipped.append((child, day, refusal.code))
            elif wanted:
                taken[day] += 1
                plan.to_create.append((child, day))
            else:
                taken[day] -= 1
                plan.to_cancel.append((child, day))
    return plan, existing


def bookings_bulk_preview(*, service: Service, weekdays_by_child: Mapping[Child, Iterable[int]], start: dt.date,
                          end: dt.date, action: str = BulkAction.ADD, criterion: str = Criterion.NONE,
                          actor: Actor = None,
                          override: bool = False, now: dt.datetime | None = None) -> BulkPlan:
    """The summary shown before confirming: nothing is written.

    `weekdays_by_child` maps each Child (already scoped to the caller's household) to weekday numbers.
    """
    _check_override(override, actor)
    plan, _existing = _plan(service=service, weekdays_by_child=weekdays_by_child, start=start, end=end,
                            action=action, criterion=criterion, now=now or timezone.now(), override=override,
                            lock=False)
    return plan


@transaction.atomic
def bookings_bulk_apply(*, service: Service, weekdays_by_child: Mapping[Child, Iterable[int]], start: dt.date,
                        end: dt.date, action: str = BulkAction.ADD, criterion: str = Criterion.NONE, actor: Actor,
                        source: str = Source.BULK, override: bool = False,
                        now: dt.datetime | None = None) -> BulkPlan:
    """Apply a bulk booking in one transaction; invoiced bookings are never touched."""
    _check_override(override, actor)
    now = now or timezone.now()
    plan, existing = _plan(service=service, weekdays_by_child=weekdays_by_child, start=start, end=end,
                           action=action, criterion=criterion, now=now, override=override, lock=True)
    to_insert, to_rebook, to_cancel = [], [], []
    for child, day in plan.to_create:
        booking = existing.get((child.pk, day))
        if booking is None:
            to_insert.append(Booking(child=child, service=service, date=day, status=Booking.Status.BOOKED))
        else:
            booking.status = Booking.Status.BOOKED
            to_rebook.append(booking)
    for child, day in plan.to_cancel:
        booking = existing[(child.pk, day)]
        booking.status = Booking.Status.CANCELLED
        to_cancel.append(booking)
    created = Booking.objects.bulk_create(to_insert)
    stamp = timezone.now()
    for booking in to_rebook + to_cancel:
        booking.updated_at = stamp
    Booking.objects.bulk_update(to_rebook + to_cancel, ["status", "updated_at"], batch_size=500)
    who = signed_in(actor)
    changes = [BookingChange(booking=b, action=BookingChange.Action.BOOKED, actor=who, source=source,
                             override=override) for b in created + to_rebook]
    changes += [BookingChange(booking=b, action=BookingChange.Action.CANCELLED, actor=who, source=source,
                              override=override) for b in to_cancel]
    BookingChange.objects.bulk_create(changes, batch_size=1000)
    plan.applied = True
    return plan


# --- attendance (staff) --------------------------------------------------------------------------

@transaction.atomic
def attendance_mark(*, booking: Booking, attendance: str, actor: Actor, source: str = Source.STAFF) -> Booking:
    """Record present / absent / justified absence for a booked child."""
    if attendance not in Booking.Attendance.values:
        raise InvalidBulkRequest(_("Pointage inconnu."))
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.invoiced:
        raise BookingInvoiced()
    if booking.attendance != attendance:
        booking.attendance = attendance
        booking.waiting_day = False  # staff's mark replaces what a declared absence decided
        booking.save(update_fields=["attendance", "waiting_day", "updated_at"])
        _record(booking, BookingChange.Action.ATTENDANCE, actor=actor, source=source,
                detail=booking.get_attendance_display())
    return booking


@transaction.atomic
def attendance_add_walk_in(*, child: Child, service: Service, day: dt.date, actor: Actor,
                           source: str = Source.STAFF) -> Booking:
    """A child who turned up without a booking: recorded present, flagged as unbooked.

    The child is there, so neither the deadline nor the capacity can refuse it.
    """
    lock_service_days(service.pk, [day])
    booking = Booking.objects.select_for_update().filter(child=child, service=service, date=day).first()
    if booking is not None and booking.invoiced:
        raise BookingInvoiced()
    if booking is not None and booking.is_booked:
        return attendance_mark(booking=booking, attendance=Booking.Attendance.PRESENT, actor=actor, source=source)
    if booking is None:
        booking = Booking(child=child, service=service, date=day)
    booking.status = Booking.Status.BOOKED
    booking.attendance = Booking.Attendance.PRESENT
    booking.unbooked_attendance = True
    booking.save()
    _record(booking, BookingChange.Action.WALK_IN, actor=actor, source=source)
    return booking


def group_by_child(pairs: Iterable[tuple[Child, dt.date] | tuple[Child, dt.date, str]]) -> dict[Child, list[dt.date]]:
    grouped: dict[Child, list[dt.date]] = defaultdict(list)
    for child, day, *_rest in pairs:
        grouped[child].append(day)
    return dict(grouped)
