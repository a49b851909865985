"""Absences ("enfant malade"): parents declare, staff validate or refuse the justification.

A declaration covers the child's booked days of a range, from today on, even past the booking
deadline. What it does to each day is decided by `rules.absence_outcome` (the single absence rule):
a day still cancellable is cancelled; otherwise it is an absence, billed unless justified (except the
service's waiting days, "jours de carence"). Every booking change is recorded with its source.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.catalog.selectors import schedule_for
from tenant_apps.core.clock import town_today
from tenant_apps.core.files import CheckedUpload, store
from tenant_apps.families.models import Child

from . import rules
from .errors import InvalidAbsence
from .models import Absence, AbsenceSettings, Booking, BookingChange, ServiceAbsenceRule

CERTIFICATE_FOLDER = "absences"
MAX_ABSENCE_DAYS = 31
Outcome = rules.AbsenceOutcome


def _store_certificate(absence: Absence, upload: CheckedUpload) -> None:
    absence.certificate.name = store(upload, CERTIFICATE_FOLDER)
    absence.certificate_name = upload.original_name[:120]


def _booked_days(absence: Absence, *, only_linked: bool) -> list[Booking]:
    qs = Booking.objects.select_for_update(of=("self",)).select_related("service").filter(
        child_id=absence.child_id, date__range=(absence.start, absence.end), status=Booking.Status.BOOKED,
        unbooked_attendance=False)
    if only_linked:
        qs = qs.filter(absence=absence)
    return list(qs.order_by("service_id", "date"))


def _apply(absence: Absence, bookings: list[Booking], *, justified: bool, actor: Actor, source: str,
           now: dt.datetime) -> dict[str, int]:
    """Ask the rule for every booked day and write what it says; the count of each outcome."""
    counts: dict[str, int] = defaultdict(int)
    if not bookings:
        return counts
    services = {b.service_id: b.service for b in bookings}
    schedule = schedule_for(services.values(), absence.start, absence.end)
    waiting = dict(ServiceAbsenceRule.objects.filter(service_id__in=services).values_list("service_id",
                                                                                         "waiting_days"))
    index: dict[int, int] = defaultdict(int)
    who = signed_in(actor)
    changes, stamp = [], timezone.now()
    for booking in bookings:
        facts = rules.booking_facts(service=booking.service, day=booking.date, schedule=schedule, enrolled=True,
                                    booking=booking, taken=0, now=now)
        outcome = rules.absence_outcome(facts=facts, justified=justified, day_index=index[booking.service_id],
                                        waiting_days=waiting.get(booking.service_id, 0))
        counts[outcome] += 1
        if outcome == Outcome.LOCKED:
            continue
        index[booking.service_id] += 1
        booking.absence = absence
        if outcome == Outcome.CANCELLED:
            booking.status = Booking.Status.CANCELLED
            action = BookingChange.Action.CANCELLED
        else:
            booking.attendance = (Booking.Attendance.JUSTIFIED_ABSENCE if outcome == Outcome.JUSTIFIED
                                  else Booking.Attendance.ABSENT)
            booking.waiting_day = outcome == Outcome.WAITING_DAY
            action = BookingChange.Action.ABSENCE
        booking.updated_at = stamp
        changes.append(BookingChange(booking=booking, action=action, actor=who, source=source,
                                     detail=str(absence.get_status_display())[:200]))
    Booking.objects.bulk_update([c.booking for c in changes],
                                ["absence", "status", "attendance", "waiting_day", "updated_at"])
    BookingChange.objects.bulk_create(changes)
    return counts


@transaction.atomic
def absence_declare(*, child: Child, start: dt.date, end: dt.date, reason: str, actor: Actor, source: str,
                    comment: str = "", certificate: CheckedUpload | None = None,
                    now: dt.datetime | None = None) -> Absence:
    """A parent declares `child` away from `start` to `end` (today or later), with or without a certificate.

    `child` is already scoped to the caller's household."""
    today = town_today()
    if end < start:
        raise InvalidAbsence(_("La date de fin doit suivre la date de début."))
    if start < today:
        raise InvalidAbsence(_("Une absence se déclare pour aujourd'hui ou les jours à venir."))
    if (end - start).days >= MAX_ABSENCE_DAYS:
        raise InvalidAbsence(_("Une déclaration couvre au plus %(days)s jours.") % {"days": MAX_ABSENCE_DAYS})
    if reason not in Absence.Reason.values:
        raise InvalidAbsence(_("Motif d'absence inconnu."))
    absence = Absence(child=child, start=start, end=end, reason=reason, comment=comment[:300],
                      declared_by=signed_in(actor))
    if certificate is not None:
        _store_certificate(absence, certificate)
    else:
        absence.certificate_due = today + dt.timedelta(days=AbsenceSettings.current().certificate_days)
    absence.save()
    _apply(absence, _booked_days(absence, only_linked=False), justified=False, actor=actor, source=source,
           now=now or timezone.now())
    return absence


@transaction.atomic
def absence_certificate_add(*, absence: Absence, certificate: CheckedUpload, actor: Actor) -> Absence:
    """The parent sends the certificate afterwards (the absence is scoped to their household)."""
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    if absence.status != Absence.Status.DECLARED:
        raise InvalidAbsence(_("Cette absence a déjà été examinée par la mairie."))
    _store_certificate(absence, certificate)
    absence.save(update_fields=["certificate", "certificate_name"])
    return absence


def _decide(absence: Absence, status: str, *, actor: Actor, note: str, now: dt.datetime | None) -> Absence:
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    if absence.status != Absence.Status.DECLARED:
        raise InvalidAbsence(_("Cette absence a déjà été examinée."))
    absence.status = status
    absence.decided_by = signed_in(actor)
    absence.decided_at = timezone.now()
    absence.decision_note = note[:300]
    absence.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _apply(absence, _booked_days(absence, only_linked=True), justified=status == Absence.Status.JUSTIFIED,
           actor=actor, source=BookingChange.Source.STAFF, now=now or timezone.now())
    return absence


@transaction.atomic
def absence_validate(*, absence: Absence, actor: Actor, note: str = "", now: dt.datetime | None = None) -> Absence:
    """Staff accept the justification: the days are not billed, except the service's waiting days."""
    return _decide(absence, Absence.Status.JUSTIFIED, actor=actor, note=note, now=now)


@transaction.atomic
def absence_refuse(*, absence: Absence, actor: Actor, note: str = "", now: dt.datetime | None = None) -> Absence:
    """Staff refuse the justification: the days stay unjustified absences (billed by the town's rule)."""
    return _decide(absence, Absence.Status.REFUSED, actor=actor, note=note, now=now)
