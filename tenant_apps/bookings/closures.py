"""Closing days (strike, works, bridge day) over bookings already made.

A closure covers one day or a range, for the whole town or chosen services, and is stored as one
`ClosureDay` row per day (and service). Staff first see what it touches (`closure_preview`), then
confirm (`closure_apply`): the closure is recorded, the bookings of those days are cancelled (history
source "closure", with the reason), and each family concerned gets one e-mail through the worker.

Invoiced bookings are never cancelled behind billing's back: the closure is refused, naming the
invoices, and staff issue a credit note (avoir) first. Billing skips closed days in any case.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.catalog.models import Service
from tenant_apps.catalog.services import closure_days_add, require_staff
from tenant_apps.core.text import one_line
from tenants.outbox.services import send_on_commit

from .errors import ClosureOverInvoiced, InvalidClosure
from .models import Booking, BookingChange
from .services import lock_service_days
from .tasks import send_closure_notice

# A closure is a strike or a few days of works, not a season: beyond that, it is a typing mistake.
MAX_CLOSURE_DAYS = 92
# The invoice's status once a credit note cancelled it (billing's `Invoice.Status.CANCELLED`).
CANCELLED_INVOICE = "cancelled"


@dataclass
class ClosureImpact:
    """What a closure touches: the bookings it cancels, their families, the invoices in the way."""

    start: dt.date
    end: dt.date
    reason: str
    services: list[Service] = field(default_factory=list)  # empty: every service
    bookings: list[Booking] = field(default_factory=list)
    invoice_numbers: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    @property
    def bookings_count(self) -> int:
        return len(self.bookings)

    @property
    def families_count(self) -> int:
        return len({booking.child.household_id for booking in self.bookings})

    def period(self) -> str:
        """"du 03/12/2026 au 04/12/2026", or "du 03/12/2026" for one day."""
        if self.start == self.end:
            return _("du %(day)s") % {"day": f"{self.start:%d/%m/%Y}"}
        return _("du %(start)s au %(end)s") % {"start": f"{self.start:%d/%m/%Y}", "end": f"{self.end:%d/%m/%Y}"}

    def summary(self) -> str:
        """"12 réservations de 7 familles" — what staff read before confirming."""
        bookings = ngettext("%(count)d réservation", "%(count)d réservations", self.bookings_count) % {
            "count": self.bookings_count}
        families = ngettext("%(count)d famille", "%(count)d familles", self.families_count) % {
            "count": self.families_count}
        return _("%(bookings)s de %(families)s") % {"bookings": bookings, "families": families}


def _check(start: dt.date, end: dt.date | None, reason: str) -> tuple[dt.date, dt.date, str]:
    end = end or start
    if end < start:
        raise InvalidClosure(_("La fin de la fermeture doit suivre son début."))
    if (end - start).days >= MAX_CLOSURE_DAYS:
        raise InvalidClosure(_("Une fermeture couvre au plus %(days)d jours.") % {"days": MAX_CLOSURE_DAYS})
    reason = one_line(reason or "").strip()
    if not reason:
        raise InvalidClosure(_("Indiquez le motif de la fermeture."))
    return start, end, reason[:200]


def _booked(start: dt.date, end: dt.date, services: Sequence[Service]) -> QuerySet[Booking]:
    booked = Booking.objects.filter(date__range=(start, end), status=Booking.Status.BOOKED)
    if services:
        booked = booked.filter(service__in=services)
    return booked


def _impact(start: dt.date, end: dt.date, reason: str, services: Sequence[Service], *,
            lock: bool) -> ClosureImpact:
    booked = _booked(start, end, services)
    if lock:
        booked = booked.select_for_update(of=("self",))
    bookings = list(booked.select_related("child", "service").order_by("date", "pk"))
    invoiced = [booking.pk for booking in bookings if booking.invoiced]
    numbers = sorted({number for number, status in Booking.objects.filter(pk__in=invoiced).values_list(
        "invoice_lines__invoice__number", "invoice_lines__invoice__status") if number and status != CANCELLED_INVOICE})
    return ClosureImpact(start=start, end=end, reason=reason, services=list(services), bookings=bookings,
                         invoice_numbers=numbers)


def _refuse_over_invoices(impact: ClosureImpact) -> None:
    if impact.invoice_numbers:
        raise ClosureOverInvoiced(ngettext(
            "Des réservations de ces jours sont déjà facturées (facture %(numbers)s) : émettez d'abord un "
            "avoir sur cette facture, puis enregistrez la fermeture.",
            "Des réservations de ces jours sont déjà facturées (factures %(numbers)s) : émettez d'abord un "
            "avoir sur ces factures, puis enregistrez la fermeture.",
            len(impact.invoice_numbers)) % {"numbers": ", ".join(impact.invoice_numbers)})


def closure_preview(*, start: dt.date, end: dt.date | None = None, reason: str, services: Sequence[Service] = (),
                    actor: Actor) -> ClosureImpact:
    """What confirming would do (nothing is written): the bookings cancelled, the families told,
    and the invoices that would refuse it."""
    require_staff(actor)
    start, end, reason = _check(start, end, reason)
    return _impact(start, end, reason, services, lock=False)


@transaction.atomic
def closure_apply(*, start: dt.date, end: dt.date | None = None, reason: str, services: Sequence[Service] = (),
                  actor: Actor) -> ClosureImpact:
    """Close the days and cancel their bookings, all or nothing; refused over invoiced bookings.

    The service-days are locked before the closure is recorded: a parent booking at the same moment
    either commits first (and the booking is cancelled here) or waits and finds the day closed.
    """
    require_staff(actor)
    start, end, reason = _check(start, end, reason)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    for service_id in sorted(service.pk for service in (services or Service.objects.all())):
        lock_service_days(service_id, days)
    impact = _impact(start, end, reason, services, lock=True)
    _refuse_over_invoices(impact)
    closure_days_add(days=days, reason=reason, services=services)
    stamp = timezone.now()
    for booking in impact.bookings:
        booking.status = Booking.Status.CANCELLED
        booking.updated_at = stamp
    Booking.objects.bulk_update(impact.bookings, ["status", "updated_at"], batch_size=500)
    who = signed_in(actor)
    BookingChange.objects.bulk_create([
        BookingChange(booking=booking, action=BookingChange.Action.CANCELLED, actor=who,
                      source=BookingChange.Source.CLOSURE, detail=reason) for booking in impact.bookings],
        batch_size=1000)
    by_family: dict[int, list[int]] = defaultdict(list)
    for booking in impact.bookings:
        by_family[booking.child.household_id].append(booking.pk)
    for household_id, booking_ids in sorted(by_family.items()):
        send_on_commit(send_closure_notice, household_id, booking_ids, reason)
    impact.applied = True
    return impact
