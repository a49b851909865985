"""Reads of the accounting exports: the invoices a selection covers, and which of them an earlier
export already carried."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from tenant_apps.billing.models import Invoice, InvoiceRun, Payment

from .models import ExportRecord

KINDS_BY_DESTINATION = {
    "pes": [ExportRecord.Kind.PES],
    "invoices": [ExportRecord.Kind.INVOICES_CSV, ExportRecord.Kind.INVOICES_XLSX],
    "payments": [ExportRecord.Kind.PAYMENTS_CSV, ExportRecord.Kind.PAYMENTS_XLSX],
}


def invoices_for(*, run: InvoiceRun | None = None, start: dt.date | None = None,
                 end: dt.date | None = None) -> QuerySet[Invoice]:
    """Issued (not cancelled) invoices of a run, or issued between two dates."""
    invoices = Invoice.objects.exclude(status=Invoice.Status.CANCELLED)
    if run is not None:
        invoices = invoices.filter(run=run)
    if start is not None:
        invoices = invoices.filter(issued_on__gte=start)
    if end is not None:
        invoices = invoices.filter(issued_on__lte=end)
    return invoices.select_related("household").order_by("sequence")


def payments_for(*, start: dt.date, end: dt.date) -> QuerySet[Payment]:
    return (Payment.objects.filter(paid_at__date__gte=start, paid_at__date__lte=end)
            .select_related("invoice").order_by("paid_at", "pk"))


def already_exported(invoice_ids: Iterable[int], *, destination: str) -> list[str]:
    """Numbers of those invoices an earlier export to `destination` carried, in order."""
    through = ExportRecord.invoices.through
    numbers = (through.objects.filter(invoice_id__in=list(invoice_ids),
                                      exportrecord__kind__in=KINDS_BY_DESTINATION[destination])
               .values_list("invoice__number", flat=True).distinct())
    return sorted(numbers)


def recent_exports(limit: int = 50) -> QuerySet[ExportRecord]:
    return ExportRecord.objects.select_related("created_by", "run")[:limit]
