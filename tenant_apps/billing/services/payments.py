"""Payments: online payments (request, provider notifications, reconciliation) and payments
recorded at the town's counter."""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
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
from tenants.current import current_schema, require_town
from tenants.outbox.services import send_on_commit
from tenants.urls import town_url

from ..errors import (
    NothingToPay,
    NotificationRefused,
    OnlinePaymentUnavailable,
    PaymentProviderFailed,
    PaymentTooSoon,
)
from ..hooks import settlement_notes
from ..models import ZERO, Invoice, Payment, PaymentAllocation, PaymentTransaction
from .allocations import invoice_status_refresh, payment_record, payment_reverse

logger = logging.getLogger(__name__)

# PayFiP refuses a second payment of the same debt within 20 minutes; the portal applies it
# to every provider, so that a parent cannot pay twice by clicking PAYER again.
MIN_DELAY_BETWEEN_PAYMENTS = timedelta(minutes=20)
# A pending transaction with no news after this delay is expired by the reconciliation job.
PENDING_TRANSACTION_TTL = timedelta(hours=2)
RECONCILE_AFTER = timedelta(minutes=2)


def _gateway(config: PaymentProviderConfig, *, return_url: str = "", callback_url: str = "") -> Gateway:
    town = require_town()
    return Gateway(
        config, schema=current_schema(),
        return_url=return_url or town_url(town, "billing:payment_return"),
        callback_url=callback_url or town_url(town, "billing:payment_notification"),
    )


def _refresh_invoice_status(invoice: Invoice) -> None:
    invoice_status_refresh(invoice)


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
        if note := settlement_notes([invoice]).get(invoice.pk):
            raise OnlinePaymentUnavailable(
                _("Cette facture est réglée par prélèvement automatique (%(note)s) : elle ne peut pas être payée en ligne.")
                % {"note": note}
            )
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
    from ..tasks import send_payment_confirmation

    if reported is not None and reported != tx.amount:
        tx.status = PaymentTransaction.Status.AMOUNT_MISMATCH
        tx.needs_review = True
        tx.review_reason = _("Montant annoncé par le prestataire : %(reported)s € au lieu de %(expected)s €. Paiement non imputé.") % {
            "reported": reported, "expected": tx.amount}
        tx.completed_at = timezone.now()
        logger.warning("Payment %s: amount mismatch (%s reported, %s expected)", tx.order_id, reported, tx.amount)
        return "review"
    # The review state follows the transaction's final state: an earlier notification's note
    # (a wrong amount, since corrected by the provider) no longer holds.
    tx.needs_review = False
    tx.review_reason = ""
    if invoice.amount_paid + tx.amount > invoice.total or invoice.status == Invoice.Status.CANCELLED:
        tx.needs_review = True
        tx.review_reason = _("Paiement reçu alors que la facture était déjà réglée ou annulée : à rembourser.")
    tx.status = PaymentTransaction.Status.PAID
    tx.completed_at = timezone.now()
    payment = Payment.objects.create(
        household_id=invoice.household_id, invoice=invoice, transaction=tx, amount=tx.amount,
        method=Payment.Method.ONLINE, paid_at=tx.completed_at, reference=tx.provider_reference,
    )
    # The same allocation as any payment; what the invoice did not need is the household's credit.
    part = min(tx.amount, invoice.remaining) if invoice.status != Invoice.Status.CANCELLED else ZERO
    if part > 0:
        PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=part)
        invoice.amount_paid += part
        invoice.save(update_fields=["amount_paid", "updated_at"])
    send_on_commit(send_payment_confirmation, tx.pk)
    return "paid"


def payment_record_direct_debit(*, invoice: Invoice, amount: Decimal, paid_at: datetime, reference: str) -> Payment:
    """The amount of a direct debit sent to the bank, allocated to its invoice."""
    if invoice.status == Invoice.Status.CANCELLED:
        raise NothingToPay(_("Cette facture a été annulée par un avoir."))
    if amount <= 0 or amount > invoice.remaining:
        raise NothingToPay(_("Le montant doit être compris entre 0,01 € et %(max)s €.") % {"max": invoice.remaining})
    return payment_record(household=invoice.household, method=Payment.Method.DIRECT_DEBIT, amount=amount,
                          allocations=[(invoice, amount)], reference=reference, paid_at=paid_at)


def payment_reverse_direct_debit(*, payment: Payment, reason: str = "") -> Invoice:
    """A direct debit the bank rejected: its payment is reversed and the invoice is due again."""
    if payment.method != Payment.Method.DIRECT_DEBIT:
        raise NothingToPay(_("Seul un paiement par prélèvement peut être annulé ainsi."))
    payment_reverse(payment=payment, reason=reason or _("Prélèvement rejeté par la banque"))
    invoice = payment.invoice or payment.allocations.get().invoice
    invoice.refresh_from_db()
    return invoice


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
