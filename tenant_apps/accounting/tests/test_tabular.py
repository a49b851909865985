"""CSV exports of invoices (one row per line) and payments: French numbers and dates, and cells
a spreadsheet would run as formulas neutralised."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tenant_apps.billing.models import Invoice, Payment

from ..models import ExportRecord
from ..services import invoices_export_create, payments_export_create
from .stories import november_run

pytestmark = pytest.mark.django_db


def lines(record: ExportRecord) -> list[list[str]]:
    with record.file.open("rb") as stream:
        content = stream.read().decode("utf-8-sig")
    return [line.split(";") for line in content.strip().splitlines()]


def test_invoice_csv_one_row_per_line_with_formulas_neutralised(canteen, family):
    family.household.name = "=HYPERLINK(\"x\")"
    family.household.save()
    run = november_run(canteen, family)
    invoice = Invoice.objects.get(run=run)
    line = invoice.lines.order_by("child_name").first()

    rows = lines(invoices_export_create(fmt="csv", run_id=run.pk))

    assert rows[0][:4] == ["Foyer", "Payeur", "Enfant", "Prestation"]
    assert len(rows) == 1 + invoice.lines.count()
    first = rows[1]
    assert first[0].startswith("\"'=HYPERLINK")  # shown as text by spreadsheets
    assert first[2:6] == [line.child_name, "Repas Enfant", "01/11/2026", "30/11/2026"]
    assert first[7] == f"{line.unit_price:.2f}".replace(".", ",")
    assert first[9:] == [invoice.number, "Enregistré"]


def test_payments_csv_and_the_invoices_they_paid(canteen, family):
    run = november_run(canteen, family)
    invoice = Invoice.objects.get(run=run)
    Payment.objects.create(invoice=invoice, amount=Decimal("10.00"), method=Payment.Method.COUNTER,
                           paid_at=timezone.make_aware(dt.datetime(2026, 12, 3, 10, 0)), reference="chèque 12")

    record = payments_export_create(fmt="csv", start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31))

    assert lines(record) == [["Date", "Mode", "Montant", "N° de facture", "Référence"],
                             ["03/12/2026", "Au guichet", "10,00", invoice.number, "chèque 12"]]
    assert record.total == Decimal("10.00") and list(record.invoices.all()) == [invoice]


def test_invoice_exported_twice_to_the_spreadsheet_is_flagged_there_not_for_helios(canteen, family):
    run = november_run(canteen, family)
    invoices_export_create(fmt="csv", run_id=run.pk)
    second = invoices_export_create(fmt="xlsx", run_id=run.pk)
    assert second.already_exported == ["000001"]
