"""Reads of billing. Parents' reads start from their household."""

from collections import OrderedDict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import F, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.models import Service
from tenant_apps.families.models import Household

from .models import (
    Invoice,
    InvoiceLine,
    InvoiceRun,
    Payment,
    PaymentAllocation,
    PaymentTransaction,
    Tariff,
)

UNPAID_STATUSES = (Invoice.Status.ISSUED, Invoice.Status.PAYMENT_PENDING)


def invoices_of(household: Household) -> QuerySet[Invoice]:
    return Invoice.objects.filter(household=household).order_by("-period_start", "-sequence")


def invoice_of(household: Household, invoice_id: int) -> Invoice:
    """An invoice of this household, or 404 (another family's id answers 404)."""
    invoice = invoices_of(household).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404(_("Facture introuvable."))
    return invoice


def unpaid_invoices(household: Household) -> QuerySet[Invoice]:
    """Invoices with something left to pay (the dashboard's "Mes factures" count)."""
    return invoices_of(household).filter(status__in=UNPAID_STATUSES, amount_paid__lt=F("total"))


def open_invoices_of(household: Household) -> list[Invoice]:
    """The household's invoices with something left to pay, oldest due first (counter payments)."""
    invoices = Invoice.objects.filter(
        household=household, status__in=(*UNPAID_STATUSES, Invoice.Status.PAID), amount_paid__lt=F("total")
    )
    return list(invoices.order_by("due_on", "sequence"))


def payment_allocations(payment: Payment) -> list[PaymentAllocation]:
    return list(payment.allocations.select_related("invoice").order_by("created_at", "pk"))


def invoice_allocations(invoice: Invoice) -> list[PaymentAllocation]:
    """What paid this invoice (reversed payments included: their payment says so)."""
    return list(invoice.allocations.select_related("payment").order_by("created_at", "pk"))


def payment_of(household: Household, payment_id: int) -> Payment:
    """A payment of this household, or 404."""
    payment = Payment.objects.filter(household=household, pk=payment_id).select_related("household").first()
    if payment is None:
        raise Http404(_("Paiement introuvable."))
    return payment


def households_with_unpaid_invoice() -> QuerySet[Invoice, int]:
    """Ids of the households with an issued invoice not fully paid (a staff group message's audience)."""
    return (
        Invoice.objects.filter(status__in=UNPAID_STATUSES, amount_paid__lt=F("total"))
        .values_list("household_id", flat=True)
        .distinct()
    )


def invoices_by_year(invoices: Iterable[Invoice]) -> OrderedDict[int, list[Invoice]]:
    grouped: OrderedDict[int, list[Invoice]] = OrderedDict()
    for invoice in invoices:
        grouped.setdefault(invoice.period_start.year, []).append(invoice)
    return grouped


def pending_transaction(invoice: Invoice) -> PaymentTransaction | None:
    return invoice.transactions.filter(status=PaymentTransaction.Status.PENDING).order_by("-created_at").first()


def payment_retry_times(household: Household, *, within: timedelta) -> dict[int, datetime]:
    """When PAYER comes back, for the household's invoices with a payment attempt started less
    than `within` ago (PAYER is not offered again for those until then)."""
    since = timezone.now() - within
    latest = (
        PaymentTransaction.objects.filter(
            invoice__household=household, status=PaymentTransaction.Status.PENDING, created_at__gt=since
        ).values("invoice_id").annotate(started=Max("created_at"))
    )
    return {row["invoice_id"]: row["started"] + within for row in latest}


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


# --- Tariffs ---------------------------------------------------------------------------------

# Invoices whose prices are history: every one but those cancelled by a credit note (their
# bookings are billable again, so a wrong price can be corrected by avoir + new tariff).
LIVE_INVOICE_STATUSES = (Invoice.Status.ISSUED, Invoice.Status.PAYMENT_PENDING, Invoice.Status.PAID)


def last_invoiced_day(*, service_id: int, start: date, end: date | None) -> date | None:
    """The last day in [start, end] (end None: no bound) of `service_id` billed on a live invoice.

    Invoice lines snapshot their unit price and do not reference a tariff, so "this tariff was
    used" means "a live invoice billed this service on a day of the tariff's validity": the days
    are those of the bookings linked to the lines; a line without bookings (imported history)
    counts for the whole of its invoice's period.
    """
    booked = Booking.objects.filter(
        service_id=service_id, date__gte=start, invoice_lines__invoice__status__in=LIVE_INVOICE_STATUSES
    )
    if end is not None:
        booked = booked.filter(date__lte=end)
    last_booked = booked.aggregate(last=Max("date"))["last"]
    bookingless = InvoiceLine.objects.filter(
        service_id=service_id, bookings__isnull=True, invoice__status__in=LIVE_INVOICE_STATUSES,
        invoice__period_end__gte=start,
    )
    if end is not None:
        bookingless = bookingless.filter(invoice__period_start__lte=end)
    last_period_end = bookingless.aggregate(last=Max("invoice__period_end"))["last"]
    if last_period_end is not None and end is not None:
        last_period_end = min(last_period_end, end)
    days = [day for day in (last_booked, last_period_end) if day is not None]
    return max(days) if days else None


def tariff_in_use(tariff: Tariff) -> bool:
    """True once a live invoice billed a day of the tariff's (stored) validity."""
    return last_invoiced_day(service_id=tariff.service_id, start=tariff.valid_from, end=tariff.valid_until) is not None


def tariffs_by_service() -> QuerySet[Service]:
    """Every service (active ones first) with its tariffs, latest first, brackets prefetched."""
    return Service.objects.order_by("-is_active", "position", "name").prefetch_related(
        Prefetch("tariffs", queryset=Tariff.objects.order_by("-valid_from").prefetch_related("brackets"))
    )


def overlapping_tariffs(*, service_id: int, start: date, end: date | None,
                        exclude_id: int | None = None) -> QuerySet[Tariff]:
    found = Tariff.objects.filter(service_id=service_id).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
    if end is not None:
        found = found.filter(valid_from__lte=end)
    if exclude_id is not None:
        found = found.exclude(pk=exclude_id)
    return found.order_by("valid_from")


def current_tariffs(day: date) -> list[Tariff]:
    """The tariff of each active service valid on `day` (brackets prefetched)."""
    return list(
        Tariff.objects.filter(valid_from__lte=day, service__is_active=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .select_related("service").prefetch_related("brackets")
        .order_by("service__position", "service__name")
    )


def services_billed_in_advance() -> QuerySet[Service]:
    """Services whose coming bookings a run bills too ("facturation à échoir")."""
    return Service.objects.filter(billed_in_advance=True).order_by("position", "name")
