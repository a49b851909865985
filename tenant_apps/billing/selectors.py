"""Reads of billing. Parents' reads start from their household."""

from collections import OrderedDict
from datetime import date

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from tenant_apps.families.models import Household

from .models import Invoice, InvoiceRun, PaymentTransaction, Tariff

UNPAID_STATUSES = (Invoice.Status.ISSUED, Invoice.Status.PAYMENT_PENDING)


def invoices_of(household: Household) -> QuerySet[Invoice]:
    return Invoice.objects.filter(household=household).order_by("-period_start", "-sequence")


def invoice_of(household: Household, invoice_id: int) -> Invoice:
    """An invoice of this household, or 404 (another family's id answers 404)."""
    invoice = invoices_of(household).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404("Facture introuvable.")
    return invoice


def unpaid_invoices(household: Household) -> QuerySet[Invoice]:
    """Invoices with something left to pay (the dashboard's "Mes factures" count)."""
    return invoices_of(household).filter(status__in=UNPAID_STATUSES, amount_paid__lt=F("total"))


def invoices_by_year(invoices) -> "OrderedDict[int, list[Invoice]]":
    grouped: OrderedDict[int, list[Invoice]] = OrderedDict()
    for invoice in invoices:
        grouped.setdefault(invoice.period_start.year, []).append(invoice)
    return grouped


def pending_transaction(invoice: Invoice) -> PaymentTransaction | None:
    return invoice.transactions.filter(status=PaymentTransaction.Status.PENDING).order_by("-created_at").first()


def invoices_with_recent_payment(household: Household, *, within) -> set[int]:
    """Ids of the household's invoices with a payment attempt started less than `within` ago
    (PAYER is not offered again for those)."""
    since = timezone.now() - within
    return set(
        PaymentTransaction.objects.filter(
            invoice__household=household, status=PaymentTransaction.Status.PENDING, created_at__gt=since
        ).values_list("invoice_id", flat=True)
    )


def tariffs_valid_between(start: date, end: date) -> list[Tariff]:
    """Every tariff valid on at least one day of [start, end], with its brackets (2 queries)."""
    return list(
        Tariff.objects.filter(valid_from__lte=end)
        .exclude(valid_until__lt=start)
        .prefetch_related("brackets")
        .order_by("service_id", "-valid_from", "-pk")
    )


def transactions_needing_review() -> QuerySet[PaymentTransaction]:
    return PaymentTransaction.objects.filter(needs_review=True).select_related("invoice", "invoice__household")


def recent_runs(limit: int = 20) -> QuerySet[InvoiceRun]:
    return InvoiceRun.objects.order_by("-created_at")[:limit]
