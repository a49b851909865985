"""Setting the scene for direct-debit tests: the town as creditor, an active mandate, and a real
invoicing run of November 2026 (through billing's services), issued on 1 December."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tenant_apps.billing.models import InvoiceRun
from tenant_apps.billing.services import invoice_run_execute, invoice_run_start
from tenant_apps.billing.tests.factories import TariffFactory
from tenant_apps.bookings.tests.factories import book, school_days

from ..models import DirectDebitSettings, Mandate
from ..services import direct_debit_settings_update, mandate_request, mandate_validate

PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
DECEMBER = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
RUN_DAY = dt.datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
ALAIN_IBAN = "FR7630006000011234567890189"
BERNARD_IBAN = "FR1420041010050500013M02606"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def signed_mandate_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("mandat signé.pdf", PDF, "application/pdf")


def creditor_settings(**overrides) -> DirectDebitSettings:
    fields = {
        "enabled": True, "creditor_id": "FR72ZZZ123456", "creditor_name": "Mairie de Ville A",
        "creditor_iban": "FR7610071220000000200012306", "creditor_bic": "TRPUFRP1",
        "collection_rule": DirectDebitSettings.CollectionRule.DAY_OF_NEXT_MONTH, "collection_day": 5,
        "rejection_fee": Decimal("5.00"), "suspend_after_rejects": 2,
    }
    return direct_debit_settings_update(**{**fields, **overrides})


def active_mandate(household, *, iban: str = ALAIN_IBAN, signed_on: dt.date = dt.date(2026, 10, 1)) -> Mandate:
    with time_machine.travel(dt.datetime(2026, 10, 2, 9, 0, tzinfo=PARIS), tick=False):
        mandate = mandate_request(household=household, debtor_name=f"Titulaire {household.name}", iban=iban,
                                  document=signed_mandate_pdf(), signed_on=signed_on)
        return mandate_validate(mandate=mandate)


def invoicing_run(service, children, period=NOVEMBER, *, on: dt.datetime = RUN_DAY) -> InvoiceRun:
    """Book every school day of the period for each child, then run the invoicing once it is over."""
    if not service.tariffs.exists():
        TariffFactory(service=service, unit_price=Decimal("3.30"))
    for child in children:
        book(child, service, school_days(*period))
    with time_machine.travel(on, tick=False):
        run = invoice_run_start(period_start=period[0], period_end=period[1], with_pdfs=False)
        return invoice_run_execute(run_id=run.pk)
