"""Invoicing: the run over a period (started by staff, executed by the worker), one household's
invoice, and the invoice's PDF."""

import logging
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.models import ClosureDay
from tenant_apps.core.clock import town_today
from tenant_apps.core.errors import InvalidPeriod
from tenant_apps.families.models import Household
from tenants.errors import DomainError
from tenants.outbox.services import send_on_commit

from ..errors import RunAlreadyActive
from ..models import ZERO, BillingSettings, Invoice, InvoiceLine, InvoiceRun, NumberSequence
from ..pricing import TariffBook, with_surcharge
from ..selectors import tariffs_valid_between
from .numbering import invoice_number, number_allocate

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 20
# The invoicing job's time limit (tasks.run_invoicing); a run older than that is dead.
RUN_TIME_LIMIT = timedelta(hours=6)


def _check_period(period_start: date, period_end: date) -> None:
    if period_end < period_start:
        raise InvalidPeriod(_("La fin de la période doit suivre son début."))
    if (period_end - period_start).days > 92:
        raise InvalidPeriod("Une facturation couvre au plus trois mois.")


@transaction.atomic
def invoice_run_start(*, period_start: date, period_end: date, started_by: Actor = None,
                      with_pdfs: bool = True) -> InvoiceRun:
    """Record a run for the period and queue its job (on commit)."""
    from ..tasks import run_invoicing

    _check_period(period_start, period_end)
    overlapping = InvoiceRun.objects.select_for_update().filter(
        status__in=[InvoiceRun.Status.PENDING, InvoiceRun.Status.RUNNING],
        period_start__lte=period_end, period_end__gte=period_start,
    )
    # A run the worker never finished (killed past its time limit) must not block staff forever.
    overlapping.filter(created_at__lt=timezone.now() - RUN_TIME_LIMIT).update(
        status=InvoiceRun.Status.FAILED, finished_at=timezone.now()
    )
    if overlapping.filter(created_at__gte=timezone.now() - RUN_TIME_LIMIT).exists():
        raise RunAlreadyActive()
    run = InvoiceRun.objects.create(
        period_start=period_start, period_end=period_end, started_by=signed_in(started_by), with_pdfs=with_pdfs
    )
    send_on_commit(run_invoicing, run.pk)
    return run


def _households_to_invoice(period_start: date, period_end: date) -> list[int]:
    return list(
        Booking.objects.filter(
            date__range=(period_start, period_end), status=Booking.Status.BOOKED, invoiced=False
        )
        .values_list("child__household_id", flat=True)
        .distinct()
        .order_by("child__household_id")
    )


def invoice_run_execute(*, run_id: int) -> InvoiceRun:
    """The job's body: one invoice per household, each in its own transaction; errors of one
    household are recorded on the run and do not stop the others."""
    run = InvoiceRun.objects.get(pk=run_id)
    if run.status not in (InvoiceRun.Status.PENDING, InvoiceRun.Status.RUNNING):
        return run
    household_ids = _households_to_invoice(run.period_start, run.period_end)
    run.status = InvoiceRun.Status.RUNNING
    run.started_at = timezone.now()
    run.households_total = len(household_ids)
    run.save(update_fields=["status", "started_at", "households_total"])
    try:
        rules = BillingSettings.current()
        tariffs = TariffBook(tariffs_valid_between(run.period_start, run.period_end))
        created = skipped = 0
        errors: list[dict] = list(run.errors or [])
        for index, household_id in enumerate(household_ids, start=1):
            invoice = None
            try:
                invoice = household_invoice_issue(
                    household_id=household_id, period_start=run.period_start, period_end=run.period_end,
                    run=run, tariffs=tariffs, rules=rules,
                )
            except DomainError as error:
                errors.append({"household_id": household_id, "household": _household_name(household_id),
                               "message": str(error.message)})
            except Exception:
                logger.exception("Invoicing run %s: household %s failed", run.pk, household_id)
                errors.append({"household_id": household_id, "message": "Erreur inattendue (voir les journaux)."})
            if invoice is None:
                skipped += 1
            else:
                created += 1
                if run.with_pdfs:
                    try:
                        invoice_pdf_ensure(invoice=invoice)
                    except Exception:
                        logger.exception("Invoice %s: PDF generation failed", invoice.number)
                        errors.append({"household_id": household_id,
                                       "message": _("Facture %(number)s : PDF non généré, il le sera au téléchargement.")
                                       % {"number": invoice.number}})
            if index % PROGRESS_EVERY == 0 or index == len(household_ids):
                InvoiceRun.objects.filter(pk=run.pk).update(
                    households_done=index, invoices_created=created, households_skipped=skipped, errors=errors
                )
        run.refresh_from_db()
        run.status = InvoiceRun.Status.DONE_WITH_ERRORS if errors else InvoiceRun.Status.DONE
    except Exception:
        logger.exception("Invoicing run %s failed", run.pk)
        run.refresh_from_db()
        run.errors = [*(run.errors or []), {"household_id": None, "message": _("La facturation s'est arrêtée sur une erreur inattendue.")}]
        run.status = InvoiceRun.Status.FAILED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at", "errors"])
    return run


def _household_name(household_id: int) -> str:
    return Household.objects.filter(pk=household_id).values_list("name", flat=True).first() or ""


def _billed_kind(booking: Booking, rules: BillingSettings) -> str | None:
    """Which line a booking goes to, or None when the town's rules do not bill it."""
    if booking.status != Booking.Status.BOOKED:
        return None  # cancelled in time: not billed
    if booking.unbooked_attendance:
        if rules.bill_unbooked_attendance and booking.attendance == Booking.Attendance.PRESENT:
            return InvoiceLine.Kind.UNBOOKED
        return None
    if booking.attendance == Booking.Attendance.JUSTIFIED_ABSENCE:
        return None
    if booking.attendance == Booking.Attendance.ABSENT and not rules.bill_unjustified_absences:
        return None
    return InvoiceLine.Kind.BOOKED


def _closed_days(period_start: date, period_end: date) -> set[tuple[date, int | None]]:
    """The period's closures as (day, service id), the service None when the whole town closed."""
    return set(ClosureDay.objects.filter(date__range=(period_start, period_end)).values_list("date", "service_id"))


def _payer_snapshot(household: Household) -> tuple[str, str, str]:
    guardians = list(household.guardians.all())
    payer = next((g for g in guardians if g.is_payer), guardians[0] if guardians else None)
    name = f"{payer.first_name} {payer.last_name.upper()}".strip() if payer else household.name
    email = (payer.email or (payer.user.email if payer.user else "")) if payer else ""
    address = "\n".join(
        part for part in [household.address_line, household.address_line2,
                          f"{household.postcode} {household.city}".strip()] if part
    )
    return name, address, email


def household_invoice_issue(
    *,
    household_id: int,
    period_start: date,
    period_end: date,
    run: InvoiceRun | None = None,
    tariffs: TariffBook | None = None,
    rules: BillingSettings | None = None,
) -> Invoice | None:
    """Invoice the household's unbilled bookings of the period. None when there is nothing to
    bill or the household already has a live invoice for the period (a rerun)."""
    rules = rules or BillingSettings.current()
    tariffs = tariffs or TariffBook(tariffs_valid_between(period_start, period_end))
    with transaction.atomic():
        household = (
            Household.objects.select_for_update(of=("self",))
            .prefetch_related("guardians__user")
            .get(pk=household_id)
        )
        if Invoice.objects.filter(household=household, period_start=period_start, period_end=period_end).exclude(
            status=Invoice.Status.CANCELLED
        ).exists():
            return None
        bookings = list(
            Booking.objects.select_for_update(of=("self",))
            .select_related("child", "service")
            .filter(child__household=household, date__range=(period_start, period_end), invoiced=False,
                    status=Booking.Status.BOOKED)
            .order_by("date", "pk")
        )
        closed = _closed_days(period_start, period_end)
        groups: dict[tuple, list[Booking]] = defaultdict(list)
        prices: dict[tuple, Decimal] = {}
        for booking in bookings:
            if (booking.date, None) in closed or (booking.date, booking.service_id) in closed:
                continue  # the service did not run: never billed, even if the booking slipped through
            kind = _billed_kind(booking, rules)
            if kind is None:
                continue
            price = tariffs.price(booking.service_id, household, booking.date, service_name=booking.service.name)
            if kind == InvoiceLine.Kind.UNBOOKED:
                price = with_surcharge(price, rules.unbooked_surcharge_percent)
            key = (booking.child_id, booking.service_id, kind, price)
            groups[key].append(booking)
            prices[key] = price
        if not groups:
            return None

        lines = []
        for (_child_id, _service_id, kind, price), grouped in groups.items():
            child, service = grouped[0].child, grouped[0].service
            service_name = service.name if kind == InvoiceLine.Kind.BOOKED else _("%(service)s (hors réservation)") % {"service": service.name}
            lines.append(InvoiceLine(
                child=child, service=service, kind=kind,
                child_name=f"{child.first_name} {child.last_name.upper()}", service_name=service_name,
                quantity=len(grouped), unit_price=price, amount=price * len(grouped),
            ))
        total = sum((line.amount for line in lines), ZERO)
        payer_name, payer_address, payer_email = _payer_snapshot(household)
        issued_on = town_today()
        sequence = number_allocate(kind=NumberSequence.Kind.INVOICE)
        invoice = Invoice.objects.create(
            number=invoice_number(sequence), sequence=sequence, household=household, run=run,
            period_start=period_start, period_end=period_end, issued_on=issued_on,
            due_on=issued_on + timedelta(days=rules.payment_due_days), total=total,
            payer_name=payer_name, payer_address=payer_address, payer_email=payer_email,
        )
        for line in lines:
            line.invoice = invoice
        InvoiceLine.objects.bulk_create(lines)
        links = [InvoiceLine.bookings.through(invoiceline_id=line.pk, booking_id=b.pk)
                 for line, grouped in zip(lines, groups.values(), strict=True) for b in grouped]
        InvoiceLine.bookings.through.objects.bulk_create(links)
        # The lock flag bookings check: an invoiced booking can no longer change.
        Booking.objects.filter(pk__in=[link.booking_id for link in links]).update(invoiced=True)
    return invoice


def invoice_pdf_ensure(*, invoice: Invoice) -> str:
    """The stored PDF's name; generated (once) and saved through the town's storage if missing."""
    if invoice.pdf.name:
        return invoice.pdf.name
    from ..pdf import render_invoice_pdf

    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if not locked.pdf:
            content = render_invoice_pdf(locked)
            locked.pdf.save(f"facture-{locked.number}.pdf", ContentFile(content), save=False)
            Invoice.objects.filter(pk=locked.pk).update(pdf=locked.pdf.name)
    invoice.refresh_from_db(fields=["pdf"])
    if not invoice.pdf.name:
        raise RuntimeError(f"invoice {invoice.pk}: its PDF was not stored")
    return invoice.pdf.name
