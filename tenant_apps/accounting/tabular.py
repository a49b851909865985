"""The invoice and payment exports as rows, written as CSV (formula-safe, via core.csv_export) or XLSX,
for towns whose finance software imports spreadsheets rather than PES files."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from tenant_apps.core.csv_export import SafeWriter, safe_cell


def invoice_header() -> list[str]:
    return [_("Foyer"), _("Payeur"), _("Enfant"), _("Prestation"), _("Du"), _("Au"), _("Quantité"),
            _("Prix unitaire"), _("Montant"), _("N° de facture"), _("Statut")]


def invoice_rows(invoices: Iterable) -> Iterator[list]:
    for invoice in invoices:
        for line in invoice.lines.all():
            yield [invoice.household.name, invoice.payer_name, line.child_name, line.service_name,
                   invoice.period_start, invoice.period_end, line.quantity, line.unit_price, line.amount,
                   invoice.number, invoice.get_status_display()]


def payment_header() -> list[str]:
    return [_("Date"), _("Mode"), _("Montant"), _("N° de facture"), _("Référence")]


def payment_rows(payments: Iterable) -> Iterator[list]:
    for payment in payments:
        yield [payment.paid_at.date(), payment.get_method_display(), payment.amount, payment.invoice.number,
               payment.reference]


def _text(value) -> object:
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return value


def as_csv(header: list[str], rows: Iterable[list]) -> bytes:
    stream = io.StringIO()
    stream.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    writer = SafeWriter(stream)
    writer.writerow(header)
    writer.writerows([_text(value) for value in row] for row in rows)
    return stream.getvalue().encode("utf-8")


def as_xlsx(header: list[str], rows: Iterable[list], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        # Numbers and dates stay typed; text cells are neutralised like the CSV ones.
        sheet.append([value if isinstance(value, Decimal) else safe_cell(value) for value in row])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
