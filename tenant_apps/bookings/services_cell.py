"""One click on a cell of the parents' week grid: book or cancel one day, and the cell to show after.

The same rules (`rules.py`), lock, audit and idempotence as `services.booking_set`/`booking_unset`,
loaded in as few statements as the click allows, because it is the busiest write of the portal:

1. the child's enrolment in the service for the day's school year, with the child and the service,
   scoped to the signed-in guardian's household — and, in the same statement, the service-day lock
   (`pg_advisory_xact_lock`, taken only when the row is found, i.e. after the household check);
2. the child's booking of the day, `FOR UPDATE`;
3. the places taken that day (services with a capacity);
4. the calendar of the day (`schedule_for`: closures; given dates or periods when the service has them);
5. the write, and 6. its audit row.

Statements 2–6 run after the lock, so they see every booking committed by the previous holder. The
cell to show is computed from the same facts once the write is done (no new query, no week grid).
A child or service not found this way (another family's child, an inactive service, a service the
child is not enrolled in) falls back to the general path, which answers 404 or refuses as always.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from tenant_apps.accounts.models import User
from tenant_apps.catalog.models import Enrolment, Service, school_year_of
from tenant_apps.catalog.selectors import schedule_for
from tenant_apps.families.models import Child

from . import rules, selectors
from .errors import BookingRefusal
from .models import Booking, BookingChange
from .services import _lock_key, _record


@dataclass
class CellWrite:
    """What a click did: the child and service it was about, the cell to show, and the refusal if any."""

    child: Child
    service: Service
    cell: selectors.Cell
    refusal: BookingRefusal | None = None
    changed: bool = False


@transaction.atomic
def booking_cell_toggle(*, user: User, child_id: int, service_id: int, day: dt.date, book: bool,
                        source: str = BookingChange.Source.PORTAL, now: dt.datetime | None = None) -> CellWrite | None:
    """Book (`book=True`) or cancel the day for a child of `user`'s household enrolled in the service.

    None when the child, the service or the enrolment is not found this way: the caller takes the
    general path (`services.booking_set`/`booking_unset`), which tells why.
    """
    now = now or timezone.now()
    enrolment = (
        Enrolment.objects.select_related("child", "service")
        .filter(child_id=child_id, child__household__guardians__user=user, service_id=service_id,
                service__is_active=True, school_year=school_year_of(day))
        .annotate(_locked=RawSQL("pg_advisory_xact_lock(%s, %s) IS NULL", [_lock_key(service_id), day.toordinal()]))
        .first()
    )
    if enrolment is None:
        return None
    child, service = enrolment.child, enrolment.service
    booking = Booking.objects.select_for_update().filter(child=child, service=service, date=day).first()
    taken = 0
    if service.capacity is not None:
        taken = Booking.objects.filter(service=service, date=day, status=Booking.Status.BOOKED).count()
    schedule = schedule_for([service], day, day)

    def cell() -> selectors.Cell:
        return selectors.cell_state(child=child, service=service, day=day, booking=booking, schedule=schedule,
                                    enrolled=True, taken=taken, now=now)

    facts = rules.booking_facts(service=service, day=day, schedule=schedule, enrolled=True, booking=booking,
                                taken=taken, now=now)
    if facts.booked == book:  # already as asked: nothing to write (a second click, another tab)
        return CellWrite(child, service, cell())
    refusal = rules.booking_refusal(facts) if book else rules.cancellation_refusal(facts)
    if refusal is not None:
        return CellWrite(child, service, cell(), refusal=refusal)
    status = Booking.Status.BOOKED if book else Booking.Status.CANCELLED
    if booking is None:
        booking = Booking.objects.create(child=child, service=service, date=day, status=status)
    else:
        booking.status = status
        booking.save(update_fields=["status", "updated_at"])
    if service.capacity is not None:
        taken += 1 if book else -1
    _record(booking, BookingChange.Action.BOOKED if book else BookingChange.Action.CANCELLED, actor=user,
            source=source)
    return CellWrite(child, service, cell(), changed=True)
