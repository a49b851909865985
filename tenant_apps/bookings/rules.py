"""The booking rules, written once: may this child be booked, or unbooked, on this day of this service?

Pure functions of plain facts, no database. The single write (`services.booking_set`/`booking_unset`),
the bulk plan (`services._plan`) and the parents' grid (`selectors.cell_state`) load the facts their own
way, in their own number of queries, then ask here; so a cell the grid shows bookable is never refused by
the write, and the bulk preview skips exactly the days a single write would refuse. A new rule (absences,
waiting list, …) is a new fact of `BookingFacts` and a new line below, at its place in the order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tenant_apps.catalog.models import Service
from tenant_apps.catalog.selectors import ServiceSchedule

from .errors import (
    BookingInvoiced,
    BookingRefusal,
    ClosedDay,
    DeadlinePassed,
    NotEnrolled,
    ServiceFull,
)
from .models import Booking

# Every refusal the rules can give, in the order they are checked when booking.
REFUSALS: tuple[type[BookingRefusal], ...] = (ClosedDay, NotEnrolled, DeadlinePassed, BookingInvoiced, ServiceFull)


@dataclass(frozen=True)
class BookingFacts:
    """What the rules need to know about one child × service × day, at one instant."""

    service_active: bool
    # Why the service does not run that day (not one of its days, closure, public holiday); None if it runs.
    closed_reason: str | None
    enrolment_required: bool
    # Enrolled in the service for the school year of the day.
    enrolled: bool
    booking_deadline: dt.datetime
    cancellation_deadline: dt.datetime
    now: dt.datetime
    # A staff member passing over the deadlines (callers have checked the actor may).
    override: bool
    # The child's booking of that day: booked or not (cancelled or none), invoiced or not.
    booked: bool
    invoiced: bool
    # Places per day (None: unlimited), and the places already taken that day.
    capacity: int | None
    taken: int

    @property
    def booking_late(self) -> bool:
        return self.now >= self.booking_deadline

    @property
    def cancellation_late(self) -> bool:
        # A booking on a day that turned out closed can always be cancelled.
        return self.closed_reason is None and self.now >= self.cancellation_deadline

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity


def booking_refusal(facts: BookingFacts) -> BookingRefusal | None:
    """Why the day cannot be booked, or None if it can (or is booked already: booking again changes nothing).

    One order, the first refusal wins: the day is closed (or the service inactive) → the child is not
    enrolled (when the service requires it) → the booking deadline has passed (unless a staff member
    overrides it) → the day is already invoiced → no place is left.
    """
    if facts.booked:
        return None
    if not facts.service_active or facts.closed_reason is not None:
        return ClosedDay(facts.closed_reason)
    if facts.enrolment_required and not facts.enrolled:
        return NotEnrolled()
    if facts.booking_late and not facts.override:
        return DeadlinePassed()
    if facts.invoiced:
        return BookingInvoiced()
    if facts.full:
        return ServiceFull()
    return None


def cancellation_refusal(facts: BookingFacts) -> BookingRefusal | None:
    """Why the day's booking cannot be cancelled, or None if it can (or nothing is booked: nothing to do).

    An invoiced booking is locked, even for staff → the cancellation deadline has passed (unless a staff
    member overrides it; a day that turned out closed can always be cancelled).
    """
    if not facts.booked:
        return None
    if facts.invoiced:
        return BookingInvoiced()
    if facts.cancellation_late and not facts.override:
        return DeadlinePassed(_("La date butoir d'annulation est dépassée pour ce jour."))
    return None


def booking_facts(*, service: Service, day: dt.date, schedule: ServiceSchedule, enrolled: bool,
                  booking: Booking | None, taken: int, now: dt.datetime, override: bool = False) -> BookingFacts:
    """The facts of one child × service × day from what the callers load (the schedule is in memory)."""
    not_running = schedule.why_not_running(service, day)
    return BookingFacts(
        service_active=service.is_active,
        closed_reason=not_running[1] if not_running else None,
        enrolment_required=service.enrolment_required,
        enrolled=enrolled,
        booking_deadline=schedule.booking_deadline(service, day),
        cancellation_deadline=schedule.cancellation_deadline(service, day),
        now=now,
        override=override,
        booked=booking is not None and booking.is_booked,
        invoiced=booking is not None and booking.invoiced,
        capacity=service.capacity,
        taken=taken,
    )


# --- absences ("enfant malade") ------------------------------------------------------------------

class AbsenceOutcome:
    """What a declared absence does to one booked day."""

    CANCELLED = "cancelled"  # still cancellable: the booking is simply cancelled, never billed
    ABSENT = "absent"  # past the deadline and not (yet) justified: an unjustified absence, billed
    WAITING_DAY = "waiting_day"  # justified, but one of the service's waiting days: billed
    JUSTIFIED = "justified"  # justified: not billed
    LOCKED = "locked"  # already invoiced: nothing changes


def absence_outcome(*, facts: BookingFacts, justified: bool, day_index: int, waiting_days: int) -> str:
    """The single absence rule, for one booked day of a declared absence.

    `day_index` is the day's rank (0 for the first) among the absence's booked days of that service;
    `waiting_days` the service's "jours de carence". In order: an invoiced day never changes → a day
    that can still be cancelled (by the parent, without override) is cancelled → a justified absence
    is not billed, except its first `waiting_days` days → otherwise the day is an unjustified
    absence after the deadline, billed as booked.
    """
    if facts.invoiced:
        return AbsenceOutcome.LOCKED
    if not facts.cancellation_late:
        return AbsenceOutcome.CANCELLED
    if justified:
        return AbsenceOutcome.WAITING_DAY if day_index < waiting_days else AbsenceOutcome.JUSTIFIED
    return AbsenceOutcome.ABSENT
