"""Every write of billing: tariffs and billing rules, invoicing runs, invoices and their numbers,
credit notes, PDFs, online payments (request, notifications, reconciliation) and counter payments."""

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.payments.gateway import (
    Gateway,
    NotificationRejected,
    PaymentOutcome,
    PaymentRequest,
)
from shared_apps.payments.models import PaymentProviderConfig
from shared_apps.payments.selectors import provider_config_for_current_town
from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.models import Service
from tenant_apps.core.clock import town_today
from tenant_apps.families.models import Household
from tenants.current import current_schema, require_town
from tenants.errors import DomainError
from tenants.jobs import send_on_commit
from tenants.urls import town_url

from .errors import (
    InvalidAmount,
    InvalidBillingSettings,
    InvalidBrackets,
    InvalidPeriod,
    InvalidValidity,
    InvoiceNotCancellable,
    NothingToPay,
    NotificationRefused,
    OnlinePaymentUnavailable,
    PaymentProviderFailed,
    PaymentTooSoon,
    RunAlreadyActive,
    TariffCloseTooEarly,
    TariffFlatAndBrackets,
    TariffInUse,
    TariffInvoicingInProgress,
    TariffOverlap,
    TariffPriceMissing,
)
from .models import (
    ZERO,
    BillingSettings,
    CreditNote,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    NumberSequence,
    Payment,
    PaymentTransaction,
    Tariff,
    TariffBracket,
)
from .pricing import TariffBook, with_surcharge
from .selectors import last_invoiced_day, overlapping_tariffs, tariff_in_use, tariffs_valid_between

logger = logging.getLogger(__name__)

# PayFiP refuses a second payment of the same debt within 20 minutes; the portal applies it
# to every provider, so that a parent cannot pay twice by clicking PAYER again.
MIN_DELAY_BETWEEN_PAYMENTS = timedelta(minutes=20)
# A pending transaction with no news after this delay is expired by the reconciliation job.
PENDING_TRANSACTION_TTL = timedelta(hours=2)
RECONCILE_AFTER = timedelta(minutes=2)
PROGRESS_EVERY = 20
# The invoicing job's time limit (tasks.run_invoicing); a run older than that is dead.
RUN_TIME_LIMIT = timedelta(hours=6)


# --- Numbers ---------------------------------------------------------------------------------


def number_allocate(*, kind: str) -> int:
    """The next number of `kind`. Must run inside the transaction that saves the document:
    the UPDATE locks the counter row until that transaction ends, and a rollback gives the
    number back, so numbers have no gap."""
    if not connection.in_atomic_block:
        raise RuntimeError("number_allocate() must run inside the document's transaction")
    table = NumberSequence._meta.db_table
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" SET last_number = last_number + 1 WHERE kind = %s RETURNING last_number',  # noqa: S608
                [kind],
            )
            row = cursor.fetchone()
        if row is not None:
            return row[0]
        NumberSequence.objects.get_or_create(kind=kind)  # a schema older than migration 0002
    raise RuntimeError(f"number sequence {kind!r} unavailable")


def invoice_number(sequence: int) -> str:
    return f"{sequence:06d}"


def credit_note_number(sequence: int) -> str:
    return f"AV{sequence:06d}"


# --- Invoicing run ---------------------------------------------------------------------------


def _check_period(period_start: date, period_end: date) -> None:
    if period_end < period_start:
        raise InvalidPeriod(_("La fin de la période doit suivre son début."))
    if (period_end - period_start).days > 92:
        raise InvalidPeriod("Une facturation couvre au plus trois mois.")


@transaction.atomic
def invoice_run_start(*, period_start: date, period_end: date, started_by: Actor = None,
                      with_pdfs: bool = True) -> InvoiceRun:
    """Record a run for the period and queue its job (on commit)."""
    from .tasks import run_invoicing

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
        groups: dict[tuple, list[Booking]] = defaultdict(list)
        prices: dict[tuple, Decimal] = {}
        for booking in bookings:
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


# --- Credit notes ----------------------------------------------------------------------------


@transaction.atomic
def credit_note_issue(*, invoice: Invoice, reason: str, issued_by: Actor = None) -> CreditNote:
    """Cancel an issued invoice by an avoir of its full amount; its bookings become billable again."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not reason.strip():
        raise InvoiceNotCancellable("Indiquez le motif de l'avoir.")
    if invoice.status == Invoice.Status.CANCELLED:
        raise InvoiceNotCancellable(_("Cette facture est déjà annulée par un avoir."))
    if invoice.status == Invoice.Status.PAYMENT_PENDING:
        raise InvoiceNotCancellable("Un paiement en ligne de cette facture est en cours : attendez son issue.")
    if invoice.amount_paid > 0:
        raise InvoiceNotCancellable(_(
            "Cette facture a déjà été réglée, même en partie : remboursez le paiement avant d'émettre un avoir."
        ))
    sequence = number_allocate(kind=NumberSequence.Kind.CREDIT_NOTE)
    note = CreditNote.objects.create(
        number=credit_note_number(sequence), sequence=sequence, invoice=invoice, amount=invoice.total,
        reason=reason.strip(), issued_on=town_today(), issued_by=signed_in(issued_by),
    )
    invoice.status = Invoice.Status.CANCELLED
    invoice.save(update_fields=["status", "updated_at"])
    Booking.objects.filter(invoice_lines__invoice=invoice).update(invoiced=False)
    return note


# --- PDF -------------------------------------------------------------------------------------


def invoice_pdf_ensure(*, invoice: Invoice) -> str:
    """The stored PDF's name; generated (once) and saved through the town's storage if missing."""
    if invoice.pdf.name:
        return invoice.pdf.name
    from .pdf import render_invoice_pdf

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


# --- Online payment --------------------------------------------------------------------------


def _gateway(config: PaymentProviderConfig, *, return_url: str = "", callback_url: str = "") -> Gateway:
    town = require_town()
    return Gateway(
        config, schema=town.schema_name,
        return_url=return_url or town_url(town, "billing:payment_return"),
        callback_url=callback_url or town_url(town, "billing:payment_notification"),
    )


def _refresh_invoice_status(invoice: Invoice) -> None:
    if invoice.status == Invoice.Status.CANCELLED:
        return
    if invoice.amount_paid >= invoice.total:
        status = Invoice.Status.PAID
    elif invoice.transactions.filter(status=PaymentTransaction.Status.PENDING).exists():
        status = Invoice.Status.PAYMENT_PENDING
    else:
        status = Invoice.Status.ISSUED
    if status != invoice.status:
        invoice.status = status
        invoice.save(update_fields=["status", "updated_at"])


@dataclass(frozen=True)
class PaymentStart:
    transaction: PaymentTransaction
    request: PaymentRequest


def payment_start(*, invoice: Invoice, payer_email: str, return_url: str = "", callback_url: str = "") -> PaymentStart:
    """Open an online payment of what remains to pay on the invoice (eopayment `request`)."""
    config = provider_config_for_current_town()
    if config is None:
        raise OnlinePaymentUnavailable()
    gateway = _gateway(config, return_url=return_url, callback_url=callback_url)
    now = timezone.now()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.status == Invoice.Status.CANCELLED:
            raise NothingToPay(_("Cette facture a été annulée par un avoir."))
        if invoice.remaining <= 0:
            raise NothingToPay()
        delay = max(MIN_DELAY_BETWEEN_PAYMENTS, timedelta(seconds=gateway.min_seconds_between_transactions))
        recent = invoice.transactions.filter(status=PaymentTransaction.Status.PENDING, created_at__gt=now - delay)
        if recent.exists():
            raise PaymentTooSoon()
        minimal = gateway.payment.get_minimal_amount()
        if minimal is not None and invoice.remaining < minimal:
            raise OnlinePaymentUnavailable(
                _("Le paiement en ligne demande un montant d'au moins %(minimal)s € : réglez cette facture au guichet.")
                % {"minimal": f"{minimal:.2f}"}
            )
        tx = PaymentTransaction.objects.create(
            invoice=invoice, backend=config.backend, amount=invoice.remaining, payer_email=payer_email,
            order_id=f"{invoice.number}T{uuid.uuid4().hex[:12].upper()}",
        )
        try:
            request = gateway.request(
                amount=tx.amount, email=payer_email, orderid=tx.order_id,
                subject=f"Facture {invoice.number}",
            )
        except Exception as error:
            logger.exception("Payment request for invoice %s failed", invoice.number)
            raise PaymentProviderFailed() from error
        tx.provider_reference = request.reference
        tx.save(update_fields=["provider_reference", "updated_at"])
        # Older pending attempts are superseded (a late confirmation of one is still recorded).
        invoice.transactions.filter(status=PaymentTransaction.Status.PENDING).exclude(pk=tx.pk).update(
            status=PaymentTransaction.Status.EXPIRED, completed_at=now
        )
        _refresh_invoice_status(invoice)
    return PaymentStart(transaction=tx, request=request)


@dataclass(frozen=True)
class NotificationResult:
    transaction: PaymentTransaction
    invoice: Invoice
    state: str  # "paid", "pending", "failed", "review"
    return_content: str | None = None


def _failed_status(result: int) -> str:
    import eopayment

    return {
        eopayment.DENIED: PaymentTransaction.Status.REFUSED,
        eopayment.CANCELLED: PaymentTransaction.Status.CANCELLED,
        eopayment.EXPIRED: PaymentTransaction.Status.EXPIRED,
    }.get(result, PaymentTransaction.Status.REFUSED)


def payment_notification_handle(*, query_string: str, channel: str) -> NotificationResult:
    """A provider's answer (server-to-server callback or browser return). Idempotent and safe
    under concurrency: the invoice and transaction rows are locked, a payment is recorded once."""
    config = provider_config_for_current_town(enabled_only=False)
    if config is None:
        logger.warning("Payment %s refused in %s: no provider configured", channel, current_schema())
        raise NotificationRefused()
    try:
        outcome = _gateway(config).response(query_string)
    except NotificationRejected as error:
        logger.warning("Payment %s refused in %s: %s (%r)", channel, current_schema(), error, query_string[:500])
        raise NotificationRefused() from error
    return _apply_outcome(outcome, channel=channel)


def _apply_outcome(outcome: PaymentOutcome, *, channel: str) -> NotificationResult:
    found = (
        PaymentTransaction.objects.filter(provider_reference__in=outcome.references)
        .values_list("pk", "invoice_id").first()
    )
    if found is None:
        logger.warning("Payment %s refused in %s: unknown transaction %s", channel, current_schema(),
                       outcome.references)
        raise NotificationRefused("Transaction inconnue.")
    tx_id, invoice_id = found
    with transaction.atomic():
        # Lock order everywhere: invoice, then transaction.
        invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
        tx = PaymentTransaction.objects.select_for_update().get(pk=tx_id)
        tx.notifications += 1
        tx.bank_data = {**(tx.bank_data or {}), channel: outcome.bank_data}
        state = "pending"
        if tx.status == PaymentTransaction.Status.PAID:
            state = "paid"  # a replay: the payment is already recorded
        elif outcome.is_paid:
            state = _record_online_payment(invoice, tx, outcome.amount)
        elif outcome.is_waiting:
            state = "pending" if tx.status == PaymentTransaction.Status.PENDING else "failed"
        else:
            if tx.status == PaymentTransaction.Status.PENDING:
                tx.status = _failed_status(outcome.result)
                tx.completed_at = timezone.now()
            state = "review" if tx.status == PaymentTransaction.Status.AMOUNT_MISMATCH else "failed"
        tx.save()
        _refresh_invoice_status(invoice)
    return NotificationResult(transaction=tx, invoice=invoice, state=state, return_content=outcome.return_content)


def _record_online_payment(invoice: Invoice, tx: PaymentTransaction, reported: Decimal | None) -> str:
    from .tasks import send_payment_confirmation

    if reported is not None and reported != tx.amount:
        tx.status = PaymentTransaction.Status.AMOUNT_MISMATCH
        tx.needs_review = True
        tx.review_reason = _("Montant annoncé par le prestataire : %(reported)s € au lieu de %(expected)s €. Paiement non imputé.") % {
            "reported": reported, "expected": tx.amount}
        tx.completed_at = timezone.now()
        logger.warning("Payment %s: amount mismatch (%s reported, %s expected)", tx.order_id, reported, tx.amount)
        return "review"
    if invoice.amount_paid + tx.amount > invoice.total or invoice.status == Invoice.Status.CANCELLED:
        tx.needs_review = True
        tx.review_reason = _("Paiement reçu alors que la facture était déjà réglée ou annulée : à rembourser.")
    tx.status = PaymentTransaction.Status.PAID
    tx.completed_at = timezone.now()
    Payment.objects.create(
        invoice=invoice, transaction=tx, amount=tx.amount, method=Payment.Method.ONLINE,
        paid_at=tx.completed_at, reference=tx.provider_reference,
    )
    invoice.amount_paid += tx.amount
    invoice.save(update_fields=["amount_paid", "updated_at"])
    send_on_commit(send_payment_confirmation, tx.pk)
    return "paid"


@transaction.atomic
def payment_record_counter(*, invoice: Invoice, amount: Decimal, reference: str = "") -> Payment:
    """A payment received at the town's counter (régie), recorded by staff."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status == Invoice.Status.CANCELLED:
        raise NothingToPay(_("Cette facture a été annulée par un avoir."))
    if amount <= 0 or amount > invoice.remaining:
        raise NothingToPay(_("Le montant doit être compris entre 0,01 € et %(max)s €.") % {"max": invoice.remaining})
    payment = Payment.objects.create(
        invoice=invoice, amount=amount, method=Payment.Method.COUNTER, paid_at=timezone.now(), reference=reference
    )
    invoice.amount_paid += amount
    invoice.save(update_fields=["amount_paid", "updated_at"])
    _refresh_invoice_status(invoice)
    return payment


def transaction_expire(*, transaction_id: int) -> None:
    with transaction.atomic():
        invoice_id = PaymentTransaction.objects.filter(pk=transaction_id).values_list("invoice_id", flat=True).first()
        if invoice_id is None:
            return
        invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
        tx = PaymentTransaction.objects.select_for_update().get(pk=transaction_id)
        if tx.status != PaymentTransaction.Status.PENDING:
            return
        tx.status = PaymentTransaction.Status.EXPIRED
        tx.completed_at = timezone.now()
        tx.save(update_fields=["status", "completed_at", "updated_at"])
        _refresh_invoice_status(invoice)


def payments_reconcile(*, now: datetime | None = None) -> dict[str, int]:
    """Ask the provider about pending transactions (where it can tell) and expire stale ones."""
    now = now or timezone.now()
    counts = {"checked": 0, "expired": 0}
    pending = list(
        PaymentTransaction.objects.filter(status=PaymentTransaction.Status.PENDING, created_at__lt=now - RECONCILE_AFTER)
    )
    if not pending:
        return counts
    config = provider_config_for_current_town(enabled_only=False)
    gateway = _gateway(config) if config is not None else None
    for tx in pending:
        if gateway is not None and gateway.has_payment_status and not gateway.is_dummy and tx.backend == gateway.backend:
            try:
                outcome = gateway.status(tx.provider_reference, started_at=tx.created_at)
                _apply_outcome(outcome, channel="reconcile")
                counts["checked"] += 1
            except Exception:
                logger.exception("Reconciliation of payment %s failed", tx.order_id)
        tx.refresh_from_db(fields=["status"])
        if tx.status == PaymentTransaction.Status.PENDING and tx.created_at < now - PENDING_TRANSACTION_TTL:
            transaction_expire(transaction_id=tx.pk)
            counts["expired"] += 1
    return counts


# --- Tariffs and billing rules ---------------------------------------------------------------
# Staff pages, the town admin and tests all go through these; a price already billed is
# history: a tariff used by a live invoice can only be closed (see selectors.last_invoiced_day).

MAX_PRICE = Decimal("999999.99")  # Tariff.unit_price / TariffBracket.price: 8 digits, 2 decimals


@dataclass(frozen=True)
class BracketInput:
    """One QF bracket as staff enter it: QF from qf_min to qf_max (inclusive; None: no upper bound)."""

    qf_min: int
    qf_max: int | None
    price: Decimal


def _checked_amount(value: object, *, field: str, index: int | None = None, what: str = "") -> Decimal:
    label = what or _("Le prix")
    if isinstance(value, float) or value is None:
        raise InvalidAmount(_("%(what)s doit être un montant en euros.") % {"what": label}, field=field, index=index)
    try:
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except ArithmeticError:
        raise InvalidAmount(_("%(what)s doit être un montant en euros.") % {"what": label},
                            field=field, index=index) from None
    if not amount.is_finite():
        raise InvalidAmount(_("%(what)s doit être un montant en euros.") % {"what": label}, field=field, index=index)
    if amount < 0:
        raise InvalidAmount(_("%(what)s ne peut pas être négatif.") % {"what": label}, field=field, index=index)
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidAmount(_("%(what)s a au plus deux décimales (centimes).") % {"what": label},
                            field=field, index=index)
    if amount > MAX_PRICE:
        raise InvalidAmount(_("%(what)s dépasse le maximum accepté.") % {"what": label}, field=field, index=index)
    return amount.quantize(Decimal("0.01"))


def _checked_brackets(brackets: Iterable[BracketInput]) -> list[BracketInput]:
    """Brackets sorted by QF, contiguous from QF 0 with the last one open-ended, each priced.
    Errors name the row as staff entered it (`index`, 0-based, in their order)."""
    rows = []
    for index, bracket in enumerate(brackets):
        number = index + 1
        if bracket.qf_min is None or bracket.qf_min < 0:
            raise InvalidBrackets(_("Tranche n° %(n)s : indiquez le QF de début (0 ou plus).") % {"n": number},
                                  field="qf_min", index=index)
        if bracket.qf_max is not None and bracket.qf_max < bracket.qf_min:
            raise InvalidBrackets(
                _("Tranche n° %(n)s : elle finit (QF %(max)s) avant de commencer (QF %(min)s).")
                % {"n": number, "max": bracket.qf_max, "min": bracket.qf_min}, field="qf_max", index=index)
        price = _checked_amount(bracket.price, field="price", index=index,
                                what=_("Le prix de la tranche n° %(n)s") % {"n": number})
        rows.append((index, BracketInput(qf_min=int(bracket.qf_min), qf_max=bracket.qf_max, price=price)))
    rows.sort(key=lambda row: row[1].qf_min)
    first_index, first = rows[0]
    if first.qf_min != 0:
        raise InvalidBrackets(
            _("La première tranche doit commencer au QF 0 (elle commence au QF %(min)s) : "
              "sinon les plus petits quotients n'ont pas de prix.") % {"min": first.qf_min},
            field="qf_min", index=first_index)
    for (prev_index, prev), (index, bracket) in zip(rows, rows[1:], strict=False):
        if prev.qf_max is None:
            raise InvalidBrackets(
                _("Seule la dernière tranche peut être sans limite haute : la tranche qui commence au QF %(min)s "
                  "doit finir avant le QF %(next)s.") % {"min": prev.qf_min, "next": bracket.qf_min},
                field="qf_max", index=prev_index)
        if bracket.qf_min <= prev.qf_max:
            raise InvalidBrackets(
                _("Les tranches se chevauchent : le QF %(qf)s est dans deux tranches. "
                  "La tranche suivante doit commencer au QF %(expected)s.")
                % {"qf": bracket.qf_min, "expected": prev.qf_max + 1}, field="qf_min", index=index)
        if bracket.qf_min > prev.qf_max + 1:
            raise InvalidBrackets(
                _("Il manque une tranche : aucun prix pour les QF de %(gap_from)s à %(gap_to)s. "
                  "La tranche suivante doit commencer au QF %(expected)s.")
                % {"gap_from": prev.qf_max + 1, "gap_to": bracket.qf_min - 1, "expected": prev.qf_max + 1},
                field="qf_min", index=index)
    last_index, last = rows[-1]
    if last.qf_max is not None:
        raise InvalidBrackets(
            _("La dernière tranche doit être sans limite haute (laissez « QF jusqu'à » vide) : "
              "elle s'arrête au QF %(max)s et les quotients au-delà n'auraient pas de prix.") % {"max": last.qf_max},
            field="qf_max", index=last_index)
    return [bracket for _index, bracket in rows]


def _checked_prices(unit_price: object, brackets: Iterable[BracketInput] | None,
                    ) -> tuple[str, Decimal | None, list[BracketInput]]:
    brackets = list(brackets or ())
    if unit_price is not None and brackets:
        raise TariffFlatAndBrackets()
    if unit_price is None and not brackets:
        raise TariffPriceMissing()
    if unit_price is not None:
        return Tariff.Mode.FLAT, _checked_amount(unit_price, field="unit_price"), []
    return Tariff.Mode.FAMILY_QUOTIENT, None, _checked_brackets(brackets)


def _check_validity(valid_from: date, valid_until: date | None) -> None:
    if valid_from is None:
        raise InvalidValidity(_("Indiquez la date de début de validité."), field="valid_from")
    if valid_until is not None and valid_until < valid_from:
        raise InvalidValidity()


def _check_no_overlap(*, service_id: int, valid_from: date, valid_until: date | None,
                      exclude_id: int | None = None) -> None:
    other = overlapping_tariffs(service_id=service_id, start=valid_from, end=valid_until, exclude_id=exclude_id).first()
    if other is not None:
        raise TariffOverlap(
            _("Le tarif « %(tariff)s » de cette prestation est déjà valable %(period)s : deux tarifs d'une même "
              "prestation ne peuvent pas se chevaucher. Changez les dates, ou clôturez d'abord ce tarif.")
            % {"tariff": other.label or other.service.name, "period": other.period_label},
            field="valid_until" if other.valid_from > valid_from else "valid_from",
        )


def _lock_service(service_id: int) -> None:
    """Tariff writes of one service are serialised (two staff creating overlapping tariffs at once)."""
    Service.objects.select_for_update().filter(pk=service_id).first()


def _check_no_active_run(start: date, end: date | None) -> None:
    """A run prices from the tariffs it loaded when it started: changing one under it would
    issue invoices at a price the tariff no longer shows."""
    active = InvoiceRun.objects.filter(
        status__in=[InvoiceRun.Status.PENDING, InvoiceRun.Status.RUNNING], period_end__gte=start,
        created_at__gte=timezone.now() - RUN_TIME_LIMIT,
    )
    if end is not None:
        active = active.filter(period_start__lte=end)
    if active.exists():
        raise TariffInvoicingInProgress()


def _write_brackets(tariff: Tariff, brackets: list[BracketInput]) -> None:
    tariff.brackets.all().delete()
    TariffBracket.objects.bulk_create([
        TariffBracket(tariff=tariff, qf_min=b.qf_min, qf_max=b.qf_max, price=b.price) for b in brackets
    ])


@transaction.atomic
def tariff_create(
    *,
    service: Service,
    valid_from: date,
    valid_until: date | None = None,
    unit_price: Decimal | None = None,
    brackets: Sequence[BracketInput] = (),
    label: str = "",
) -> Tariff:
    """A new price of `service` from `valid_from`: a flat unit price or QF brackets, never both."""
    _check_validity(valid_from, valid_until)
    mode, unit_price, checked = _checked_prices(unit_price, brackets)
    _lock_service(service.pk)
    _check_no_overlap(service_id=service.pk, valid_from=valid_from, valid_until=valid_until)
    tariff = Tariff.objects.create(service=service, label=label.strip(), valid_from=valid_from,
                                   valid_until=valid_until, mode=mode, unit_price=unit_price)
    _write_brackets(tariff, checked)
    return tariff


def _same_prices(tariff: Tariff, mode: str, unit_price: Decimal | None, brackets: list[BracketInput]) -> bool:
    stored = [BracketInput(qf_min=b.qf_min, qf_max=b.qf_max, price=b.price) for b in tariff.brackets.order_by("qf_min")]
    return tariff.mode == mode and tariff.unit_price == unit_price and stored == brackets


def _check_close(tariff: Tariff, valid_until: date | None) -> None:
    """A tariff may not stop before a day it already billed."""
    if valid_until is None or (tariff.valid_until is not None and valid_until >= tariff.valid_until):
        return
    last = last_invoiced_day(service_id=tariff.service_id, start=tariff.valid_from, end=tariff.valid_until)
    if last is not None and valid_until < last:
        raise TariffCloseTooEarly(
            _("Ce tarif a déjà été facturé jusqu'au %(last)s : il ne peut pas finir avant cette date.")
            % {"last": f"{last:%d/%m/%Y}"})


@transaction.atomic
def tariff_update(
    *,
    tariff: Tariff,
    valid_from: date,
    valid_until: date | None,
    unit_price: Decimal | None = None,
    brackets: Sequence[BracketInput] = (),
    label: str = "",
) -> Tariff:
    """Change a tariff. Once a live invoice used it, only its label and end date may change
    (`tariff_in_use`): a new price is a new tariff, so issued invoices keep theirs."""
    _check_validity(valid_from, valid_until)
    mode, unit_price, checked = _checked_prices(unit_price, brackets)
    _lock_service(tariff.service_id)
    tariff = Tariff.objects.select_for_update().get(pk=tariff.pk)
    prices_or_start_change = valid_from != tariff.valid_from or not _same_prices(tariff, mode, unit_price, checked)
    if prices_or_start_change or valid_until != tariff.valid_until:
        _check_no_active_run(min(valid_from, tariff.valid_from), None)
    if prices_or_start_change and tariff_in_use(tariff):
        raise TariffInUse()
    _check_close(tariff, valid_until)
    _check_no_overlap(service_id=tariff.service_id, valid_from=valid_from, valid_until=valid_until,
                      exclude_id=tariff.pk)
    tariff.label, tariff.valid_from, tariff.valid_until = label.strip(), valid_from, valid_until
    tariff.mode, tariff.unit_price = mode, unit_price
    tariff.save(update_fields=["label", "valid_from", "valid_until", "mode", "unit_price"])
    if prices_or_start_change:
        _write_brackets(tariff, checked)
    return tariff


@transaction.atomic
def tariff_close(*, tariff: Tariff, valid_until: date) -> Tariff:
    """End the tariff's validity on `valid_until` (its last day), e.g. before a new price.
    Allowed on a tariff already used by invoices, as long as no billed day falls after it."""
    _lock_service(tariff.service_id)
    tariff = Tariff.objects.select_for_update().get(pk=tariff.pk)
    if valid_until is None:
        raise InvalidValidity(_("Indiquez le dernier jour de validité."))
    if valid_until < tariff.valid_from:
        raise InvalidValidity(
            _("Le dernier jour de validité ne peut pas précéder son début (%(start)s).")
            % {"start": f"{tariff.valid_from:%d/%m/%Y}"})
    _check_no_active_run(min(valid_until, tariff.valid_until or valid_until), None)
    _check_close(tariff, valid_until)
    _check_no_overlap(service_id=tariff.service_id, valid_from=tariff.valid_from, valid_until=valid_until,
                      exclude_id=tariff.pk)
    tariff.valid_until = valid_until
    tariff.save(update_fields=["valid_until"])
    return tariff


MAX_SURCHARGE_PERCENT = Decimal(100)
MAX_PAYMENT_DUE_DAYS = 365


def billing_settings_check(
    *, unbooked_surcharge_percent: Decimal, payment_due_days: int, collection_office: str = "", **_flags: Any
) -> Decimal:
    """Validate the billing rules (the admin form calls it too); returns the checked surcharge."""
    surcharge = _checked_amount(unbooked_surcharge_percent, field="unbooked_surcharge_percent",
                                what=_("La majoration"))
    if surcharge > MAX_SURCHARGE_PERCENT:
        raise InvalidBillingSettings(_("La majoration ne peut pas dépasser 100 %."),
                                     field="unbooked_surcharge_percent")
    if payment_due_days is None or not 0 <= payment_due_days <= MAX_PAYMENT_DUE_DAYS:
        raise InvalidBillingSettings(_("Le délai de paiement va de 0 à 365 jours."), field="payment_due_days")
    if len(collection_office or "") > 300:
        raise InvalidBillingSettings(_("300 caractères au plus."), field="collection_office")
    return surcharge


@transaction.atomic
def billing_settings_update(
    *,
    bill_unjustified_absences: bool,
    bill_unbooked_attendance: bool,
    unbooked_surcharge_percent: Decimal,
    payment_due_days: int,
    collection_office: str = "",
) -> BillingSettings:
    """The town's billing rules. They apply to the next invoicing runs; issued invoices keep
    the amounts and due dates they were issued with."""
    surcharge = billing_settings_check(unbooked_surcharge_percent=unbooked_surcharge_percent,
                                       payment_due_days=payment_due_days, collection_office=collection_office)
    rules = BillingSettings.objects.select_for_update().order_by("pk").first() or BillingSettings()
    rules.bill_unjustified_absences = bill_unjustified_absences
    rules.bill_unbooked_attendance = bill_unbooked_attendance
    rules.unbooked_surcharge_percent = surcharge
    rules.payment_due_days = payment_due_days
    rules.collection_office = (collection_office or "").strip()
    rules.save()
    return rules
