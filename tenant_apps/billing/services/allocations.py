"""Payments of every kind, allocated to invoices: counter payments (cash, cheque, CESU, ANCV,
transfer), direct debits (recorded by the directdebit app through `payment_record`), and the
household's credit (avoir): what a payment leaves unallocated, used on the next invoices.

Lock order everywhere: the household, then its invoices (oldest first), then the payment.
"""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.families.models import Household

from ..errors import InvalidAllocation, NothingToPay, PaymentAlreadyReversed
from ..models import ZERO, Invoice, Payment, PaymentAllocation, PaymentTransaction, euros

OPEN_STATUSES = (Invoice.Status.ISSUED, Invoice.Status.PAYMENT_PENDING, Invoice.Status.PAID)


def invoice_status_refresh(invoice: Invoice) -> None:
    """Paid when fully allocated; back to "en paiement" or "enregistré" otherwise."""
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


def _allocate(payment: Payment, invoice: Invoice, amount: Decimal, *, from_credit: bool = False) -> None:
    PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=amount, from_credit=from_credit)
    invoice.amount_paid += amount
    invoice.save(update_fields=["amount_paid", "updated_at"])
    invoice_status_refresh(invoice)


def household_credit(household: Household) -> Decimal:
    """The household's credit: what its (not reversed) payments left unallocated."""
    live = Payment.objects.filter(household=household, reversed_at__isnull=True)
    received = live.aggregate(total=Sum("amount"))["total"] or ZERO
    allocated = PaymentAllocation.objects.filter(payment__in=live).aggregate(total=Sum("amount"))["total"] or ZERO
    return max(ZERO, received - allocated)


def _unallocated(household: Household) -> list[tuple[Payment, Decimal]]:
    payments = (
        Payment.objects.filter(household=household, reversed_at__isnull=True)
        .annotate(allocated=Sum("allocations__amount"))
        .order_by("paid_at", "pk")
    )
    return [(p, p.amount - (p.allocated or ZERO)) for p in payments if p.amount - (p.allocated or ZERO) > 0]


def credit_apply(*, invoice: Invoice) -> Decimal:
    """Pay the invoice from its household's credit, oldest payment first; returns what was used.

    Called by the invoicing run for each invoice it issues, in the transaction that holds the
    household's lock."""
    used = ZERO
    if invoice.status == Invoice.Status.CANCELLED:
        return used
    for payment, rest in _unallocated(invoice.household):
        if invoice.remaining <= 0:
            break
        part = min(rest, invoice.remaining)
        _allocate(payment, invoice, part, from_credit=True)
        used += part
    return used


def _open_invoices(household: Household) -> list[Invoice]:
    """The household's invoices with something left to pay, oldest due first, locked."""
    invoices = (
        Invoice.objects.select_for_update()
        .filter(household=household, status__in=OPEN_STATUSES)
        .order_by("due_on", "sequence")
    )
    return [invoice for invoice in invoices if invoice.remaining > 0]


@transaction.atomic
def payment_record(
    *,
    household: Household,
    method: str,
    amount: Decimal,
    allocations: list[tuple[Invoice, Decimal]] | None = None,
    reference: str = "",
    paid_at: datetime | None = None,
    actor: Actor = None,
    cheque_number: str = "",
    bank: str = "",
) -> Payment:
    """Record money received from a household and allocate it.

    `allocations` None: to the household's invoices with something left to pay, oldest due
    first. Otherwise each (invoice, amount) pays that much of that invoice. What is left is the
    household's credit, used on its next invoice. Used by the counter screens, the API and the
    directdebit app (method "direct_debit")."""
    if method not in Payment.Method.values or method == Payment.Method.ONLINE:
        raise InvalidAllocation(_("Mode de paiement inconnu."))
    if amount is None or amount <= 0:
        raise InvalidAllocation(_("Le montant doit être d'au moins 0,01 €."))
    household = Household.objects.select_for_update(of=("self",)).get(pk=household.pk)
    open_invoices = {invoice.pk: invoice for invoice in _open_invoices(household)}
    planned: list[tuple[Invoice, Decimal]] = []
    if allocations is None:
        rest = amount
        for invoice in open_invoices.values():
            if rest <= 0:
                break
            part = min(rest, invoice.remaining)
            planned.append((invoice, part))
            rest -= part
    else:
        for asked, part in allocations:
            found = open_invoices.get(asked.pk)
            if found is None:
                raise InvalidAllocation(
                    _("La facture %(number)s n'a rien à payer pour ce foyer.") % {"number": asked.number})
            if part is None or part <= 0 or part > found.remaining:
                raise InvalidAllocation(
                    _("Facture %(number)s : le montant imputé doit être compris entre 0,01 € et %(max)s.")
                    % {"number": found.number, "max": euros(found.remaining)})
            planned.append((found, part))
        if sum((part for _invoice, part in planned), ZERO) > amount:
            raise InvalidAllocation(_("Les montants imputés dépassent le montant reçu."))
    payment = Payment.objects.create(
        household=household, invoice=planned[0][0] if len(planned) == 1 else None, amount=amount, method=method,
        paid_at=paid_at or timezone.now(), reference=reference, cheque_number=cheque_number, bank=bank,
        recorded_by=signed_in(actor),
    )
    for invoice, part in planned:
        _allocate(payment, invoice, part)
    return payment


@transaction.atomic
def payment_reverse(*, payment: Payment, reason: str) -> Payment:
    """Cancel a payment that did not come through (a rejected direct debit, a bounced cheque):
    the invoices it paid, including those paid from its credit, go back to unpaid or partly paid."""
    if payment.household_id is not None:
        Household.objects.select_for_update(of=("self",)).get(pk=payment.household_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.reversed_at is not None:
        raise PaymentAlreadyReversed()
    invoice_ids = sorted(set(payment.allocations.values_list("invoice_id", flat=True)))
    invoices = {i.pk: i for i in Invoice.objects.select_for_update().filter(pk__in=invoice_ids).order_by("pk")}
    for allocation in payment.allocations.all():
        invoice = invoices[allocation.invoice_id]
        invoice.amount_paid = max(ZERO, invoice.amount_paid - allocation.amount)
    for invoice in invoices.values():
        invoice.save(update_fields=["amount_paid", "updated_at"])
        invoice_status_refresh(invoice)
    payment.reversed_at = timezone.now()
    payment.reversal_reason = reason
    payment.save(update_fields=["reversed_at", "reversal_reason"])
    return payment


def payment_record_counter(*, invoice: Invoice, amount: Decimal, reference: str = "",
                           method: str = Payment.Method.COUNTER, actor: Actor = None,
                           cheque_number: str = "", bank: str = "") -> Payment:
    """A payment of one invoice received at the town's counter (régie), recorded by staff."""
    if invoice.status == Invoice.Status.CANCELLED:
        raise NothingToPay(_("Cette facture a été annulée par un avoir."))
    if amount <= 0 or amount > invoice.remaining:
        raise NothingToPay(_("Le montant doit être compris entre 0,01 € et %(max)s.") % {"max": euros(invoice.remaining)})
    return payment_record(household=invoice.household, method=method, amount=amount,
                          allocations=[(invoice, amount)], reference=reference, actor=actor,
                          cheque_number=cheque_number, bank=bank)

