"""Invoicing: the run over a period (started by staff, executed by the worker), one household's
invoice, and the invoice's PDF."""

import logging
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.models import ClosureDay, Service
from tenant_apps.core.clock import town_today
from tenant_apps.core.errors import InvalidPeriod
from tenant_apps.families.models import Household
from tenants.errors import DomainError
from tenants.outbox.services import send_on_commit

from ..errors import PeriodNotOver, RunAlreadyActive, RunNotStalled
from ..models import ZERO, BillingSettings, Invoice, InvoiceLine, InvoiceRun, NumberSequence
from ..pricing import TariffBook, with_surcharge
from ..selectors import tariffs_valid_between
from .allocations import credit_apply
from .numbering import invoice_number, number_allocate
from .pdfs import InvoicePdfs, PdfFailure, invoice_pdf_store

logger = logging.getLogger(__name__)

# The invoicing job's time limit (tasks.run_invoicing); a run older than that is dead.
RUN_TIME_LIMIT = timedelta(hours=6)


def _check_period(period_start: date, period_end: date) -> None:
    if period_end < period_start:
        raise InvalidPeriod(_("La fin de la période doit suivre son début."))
    if (period_end - period_start).days > 92:
        raise InvalidPeriod("Une facturation couvre au plus trois mois.")


def _billable_days() -> Q:
    """Only days that are over in the town are billed, except for services billed in advance
    ("facturation à échoir"), whose coming bookings of the period are billed too."""
    return Q(service__billed_in_advance=True) | Q(date__lt=town_today())


@transaction.atomic
def invoice_run_start(*, period_start: date, period_end: date, started_by: Actor = None,
                      with_pdfs: bool = True) -> InvoiceRun:
    """Record a run for the period and queue its job through the outbox (same transaction: the
    run and its message are committed together or not at all)."""
    from ..tasks import run_invoicing

    _check_period(period_start, period_end)
    if not Service.objects.filter(billed_in_advance=True).exists():
        # Nothing is billed in advance: the run (and its invoices) end with the last day that is
        # over, so that a run of the whole period, once over, bills the days after it.
        last_day_over = town_today() - timedelta(days=1)
        if period_start > last_day_over:
            raise PeriodNotOver()
        period_end = min(period_end, last_day_over)
    overlapping = InvoiceRun.objects.select_for_update().filter(
        status__in=InvoiceRun.ACTIVE, period_start__lte=period_end, period_end__gte=period_start,
    )
    # A run the worker never finished (killed past its time limit) must not block staff forever.
    overlapping.filter(created_at__lt=timezone.now() - RUN_TIME_LIMIT).update(
        status=InvoiceRun.Status.FAILED, finished_at=timezone.now()
    )
    if overlapping.exists():
        raise RunAlreadyActive()
    try:
        # The database refuses a second active run over the same days, even from a start that
        # committed after our check above.
        with transaction.atomic():
            run = InvoiceRun.objects.create(
                period_start=period_start, period_end=period_end, started_by=signed_in(started_by),
                with_pdfs=with_pdfs,
            )
    except IntegrityError:
        raise RunAlreadyActive() from None
    send_on_commit(run_invoicing, run.pk)
    return run


@transaction.atomic
def invoice_run_resume(*, run_id: int) -> InvoiceRun:
    """Queue the job of a run whose job gave no sign of life (broker or worker down, worker
    killed) again. The job goes on from what is committed; households already invoiced are skipped."""
    from ..tasks import run_invoicing

    run = InvoiceRun.objects.select_for_update().get(pk=run_id)
    if not run.is_stalled:
        raise RunNotStalled()
    # Staff's click counts as a sign of life: a second click within a minute is refused.
    run.heartbeat_at = timezone.now()
    run.save(update_fields=["heartbeat_at"])
    send_on_commit(run_invoicing, run.pk)
    return run


@transaction.atomic
def invoice_run_cancel(*, run_id: int) -> InvoiceRun:
    """Stop a run whose job gave no sign of life. Invoices it already issued stay; a new run
    of the period invoices the remaining households."""
    run = InvoiceRun.objects.select_for_update().get(pk=run_id)
    if not run.is_stalled:
        raise RunNotStalled()
    run.status = InvoiceRun.Status.CANCELLED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def _households_to_invoice(period_start: date, period_end: date) -> list[int]:
    return list(
        Booking.objects.filter(
            _billable_days(), date__range=(period_start, period_end), status=Booking.Status.BOOKED, invoiced=False
        )
        .values_list("child__household_id", flat=True)
        .distinct()
        .order_by("child__household_id")
    )


def _households_done(run: InvoiceRun) -> set[int]:
    invoiced = set(run.invoices.values_list("household_id", flat=True))
    return invoiced | set(run.skipped_household_ids)


def _run_progress(run_id: int, *, household_id: int | None = None, skipped: bool = False,
                  error: dict | None = None, total: int | None = None) -> InvoiceRun:
    """Record one household's outcome and refresh the counters from what is committed (the run's
    invoices and the households it went through): a resumed job never moves them backwards.
    Also the job's heartbeat."""
    with transaction.atomic():
        run = InvoiceRun.objects.select_for_update().get(pk=run_id)
        if skipped and household_id not in run.skipped_household_ids:
            run.skipped_household_ids = [*run.skipped_household_ids, household_id]
        if error is not None:
            run.errors = [*(e for e in run.errors if e.get("household_id") != household_id), error]
        invoiced = set(run.invoices.values_list("household_id", flat=True))
        run.invoices_created = len(invoiced)
        run.households_skipped = len(set(run.skipped_household_ids) - invoiced)
        run.households_done = run.invoices_created + run.households_skipped
        if total is not None:
            run.households_total = total
        run.households_total = max(run.households_total, run.households_done)
        run.heartbeat_at = timezone.now()
        run.save(update_fields=["skipped_household_ids", "errors", "invoices_created", "households_skipped",
                                "households_done", "households_total", "heartbeat_at"])
    return run


def _run_finish(run_id: int, *, error: dict | None = None) -> InvoiceRun:
    from ..tasks import send_invoice_notices

    with transaction.atomic():
        run = InvoiceRun.objects.select_for_update().get(pk=run_id)
        if run.is_active:
            if error is not None:
                run.errors = [*run.errors, error]
                run.status = InvoiceRun.Status.FAILED
            else:
                run.status = InvoiceRun.Status.DONE_WITH_ERRORS if run.errors else InvoiceRun.Status.DONE
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "finished_at", "errors"])
            if run.invoices_created:
                # Each household told once of its new invoice, by the worker, after commit.
                send_on_commit(send_invoice_notices, run.pk)
    return run


def invoice_run_execute(*, run_id: int) -> InvoiceRun:
    """The job's body: one invoice per household, each in its own transaction; errors of one
    household are recorded on the run and do not stop the others. Resumable: when the job runs
    again (redelivered after its worker died, or resumed by staff) it skips the households the
    run already went through, and says it was resumed."""
    with transaction.atomic():
        run = InvoiceRun.objects.select_for_update().get(pk=run_id)
        if not run.is_active:
            return run
        now = timezone.now()
        if run.started_at is None:
            run.started_at = now
        elif run.status == InvoiceRun.Status.RUNNING:
            run.resumed_at = now
        run.status = InvoiceRun.Status.RUNNING
        run.heartbeat_at = now
        run.save(update_fields=["status", "started_at", "resumed_at", "heartbeat_at"])
    try:
        done = _households_done(run)
        household_ids = [h for h in _households_to_invoice(run.period_start, run.period_end) if h not in done]
        run = _run_progress(run.pk, total=len(done) + len(household_ids))
        rules = BillingSettings.current()
        tariffs = TariffBook(tariffs_valid_between(run.period_start, run.period_end))
        pdfs = InvoicePdfs() if run.with_pdfs else None
        try:
            for household_id in household_ids:
                if not run.is_active:
                    break  # cancelled by staff meanwhile: the invoices issued still get their PDF
                outcome, invoice = _invoice_one(run, household_id, tariffs, rules)
                run = _run_progress(run.pk, household_id=household_id, **outcome)
                if pdfs is not None and invoice is not None:
                    pdfs.add(invoice)
                    run = _pdf_failures_record(run, pdfs.collect())
            if pdfs is not None:
                run = _pdf_failures_record(run, pdfs.finish())
        finally:
            if pdfs is not None:
                pdfs.close()
        if not run.is_active:
            return run
    except Exception:
        logger.exception("Invoicing run %s failed", run.pk)
        return _run_finish(run.pk, error={
            "household_id": None, "message": _("La facturation s'est arrêtée sur une erreur inattendue.")})
    return _run_finish(run.pk)


def _invoice_one(run: InvoiceRun, household_id: int, tariffs: TariffBook,
                 rules: BillingSettings) -> tuple[dict, Invoice | None]:
    """One household of a run: its invoice, and what _run_progress records about it."""
    try:
        invoice = household_invoice_issue(
            household_id=household_id, period_start=run.period_start, period_end=run.period_end,
            run=run, tariffs=tariffs, rules=rules,
        )
    except DomainError as error:
        return {"skipped": True, "error": {"household_id": household_id, "household": _household_name(household_id),
                                           "message": str(error.message)}}, None
    except Exception:
        logger.exception("Invoicing run %s: household %s failed", run.pk, household_id)
        return {"skipped": True, "error": {"household_id": household_id,
                                           "message": _("Erreur inattendue (voir les journaux).")}}, None
    if invoice is None:
        return {"skipped": True}, None
    return {}, invoice


def _pdf_failures_record(run: InvoiceRun, failures: list[PdfFailure]) -> InvoiceRun:
    """An invoice whose PDF could not be made is reported on the run; its PDF is made on download."""
    for failure in failures:
        run = _run_progress(run.pk, household_id=failure.household_id, error={
            "household_id": failure.household_id,
            "message": _("Facture %(number)s : PDF non généré, il le sera au téléchargement.")
            % {"number": failure.number}})
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
    if booking.waiting_day:
        return InvoiceLine.Kind.BOOKED  # a justified absence's "jour de carence": billed by the service's rule
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
    """Invoice the household's unbilled bookings of the period; None when there is nothing to bill.

    A rerun of a period bills only what no invoice billed yet: nothing, or the days that were
    not over at the first run (a town billing one service in advance invoices the month while it
    runs; the other services' remaining days go on a complementary invoice after it ends)."""
    rules = rules or BillingSettings.current()
    tariffs = tariffs or TariffBook(tariffs_valid_between(period_start, period_end))
    with transaction.atomic():
        household = (
            Household.objects.select_for_update(of=("self",))
            .prefetch_related("guardians__user")
            .get(pk=household_id)
        )
        if run is not None and run.invoices.filter(household=household).exclude(
            status=Invoice.Status.CANCELLED
        ).exists():
            return None  # this run already went through the household (a resumed job)
        bookings = list(
            Booking.objects.select_for_update(of=("self",))
            .select_related("child", "service")
            .filter(_billable_days(), child__household=household, date__range=(period_start, period_end),
                    invoiced=False, status=Booking.Status.BOOKED)
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
        # The household's credit (an earlier overpayment) pays what it can of the new invoice.
        credit_apply(invoice=invoice)
    return invoice


def invoice_pdf_ensure(*, invoice: Invoice) -> str:
    """The stored PDF's name; generated (once) and saved through the town's storage if missing."""
    if invoice.pdf.name:
        return invoice.pdf.name
    from ..pdf import render_invoice_pdf

    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if not locked.pdf:
            invoice_pdf_store(invoice_id=locked.pk, content=render_invoice_pdf(locked))
    invoice.refresh_from_db(fields=["pdf"])
    if not invoice.pdf.name:
        raise RuntimeError(f"invoice {invoice.pk}: its PDF was not stored")
    return invoice.pdf.name
