"""The register on a tablet (registre d'appel): one tap per child, "Tous présents", the day's counts,
and the monthly attendance summary of a service.

Single taps go through `services.attendance_mark` (same rules and history as every attendance
write); "Tous présents" marks every child not yet marked in one statement.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.catalog.models import Service

from .models import Booking, BookingChange
from .services import lock_service_days

Attendance = Booking.Attendance

# What one tap does: a child not marked yet (or absent) becomes present, a present child absent.
NEXT_ON_TAP: dict[str, str] = {
    Attendance.UNKNOWN: Attendance.PRESENT,
    Attendance.PRESENT: Attendance.ABSENT,
    Attendance.ABSENT: Attendance.PRESENT,
    Attendance.JUSTIFIED_ABSENCE: Attendance.PRESENT,
}


def next_on_tap(attendance: str) -> str:
    return NEXT_ON_TAP.get(attendance, Attendance.PRESENT)


@dataclass(frozen=True)
class RegisterCounts:
    expected: int
    present: int
    absent: int
    unknown: int


def register_counts(service: Service, day: dt.date) -> RegisterCounts:
    """Expected (booked, walk-ins included), present, absent (justified or not) and not yet marked: one query."""
    found = Booking.objects.filter(service=service, date=day, status=Booking.Status.BOOKED).aggregate(
        expected=Count("pk"),
        present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
        absent=Count("pk", filter=Q(attendance__in=[Attendance.ABSENT, Attendance.JUSTIFIED_ABSENCE])),
        unknown=Count("pk", filter=Q(attendance=Attendance.UNKNOWN)),
    )
    return RegisterCounts(**found)


@transaction.atomic
def register_all_present(*, service: Service, day: dt.date, actor: Actor,
                         source: str = BookingChange.Source.REGISTER) -> int:
    """"Tous présents": every booked child not marked yet (and not invoiced) is marked present.

    Children already marked (absent, declared absences) are left as they are. Returns how many changed.
    """
    lock_service_days(service.pk, [day])
    ids = list(Booking.objects.select_for_update().filter(
        service=service, date=day, status=Booking.Status.BOOKED, attendance=Attendance.UNKNOWN, invoiced=False,
    ).values_list("pk", flat=True))
    if not ids:
        return 0
    Booking.objects.filter(pk__in=ids).update(attendance=Attendance.PRESENT, updated_at=timezone.now())
    who = signed_in(actor)
    detail = str(Attendance.PRESENT.label)
    BookingChange.objects.bulk_create([
        BookingChange(booking_id=pk, action=BookingChange.Action.ATTENDANCE, actor=who, source=source, detail=detail)
        for pk in ids], batch_size=1000)
    return len(ids)


# --- the monthly summary -------------------------------------------------------------------------

@dataclass(frozen=True)
class MonthRow:
    last_name: str
    first_name: str
    booked: int
    present: int
    absent: int
    justified: int
    unknown: int
    unbooked: int


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def month_summary(service: Service, year: int, month: int) -> list[MonthRow]:
    """One row per child who had a booking (or a walk-in) in the month: one query."""
    first, last = month_bounds(year, month)
    rows = (Booking.objects.filter(service=service, date__range=(first, last), status=Booking.Status.BOOKED)
            .values("child_id", "child__last_name", "child__first_name")
            .annotate(booked=Count("pk", filter=Q(unbooked_attendance=False)),
                      present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
                      absent=Count("pk", filter=Q(attendance=Attendance.ABSENT)),
                      justified=Count("pk", filter=Q(attendance=Attendance.JUSTIFIED_ABSENCE)),
                      unknown=Count("pk", filter=Q(attendance=Attendance.UNKNOWN)),
                      unbooked=Count("pk", filter=Q(unbooked_attendance=True)))
            .order_by("child__last_name", "child__first_name", "child_id"))
    return [MonthRow(last_name=r["child__last_name"], first_name=r["child__first_name"], booked=r["booked"],
                     present=r["present"], absent=r["absent"], justified=r["justified"], unknown=r["unknown"],
                     unbooked=r["unbooked"]) for r in rows]


def month_totals(rows: list[MonthRow]) -> dict[str, int]:
    fields = ("booked", "present", "absent", "justified", "unknown", "unbooked")
    return {name: sum(getattr(row, name) for row in rows) for name in fields}
