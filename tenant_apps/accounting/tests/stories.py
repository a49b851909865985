"""Set-ups the accounting tests share: a town with its accounting settings, and a real invoicing
run of November 2026 over the ALAIN and BERNARD households."""

import datetime as dt

from tenant_apps.billing.models import InvoiceRun
from tenant_apps.billing.services import invoice_run_execute
from tenant_apps.billing.tests.factories import TariffFactory
from tenant_apps.bookings.tests.factories import book, school_days

from ..models import AccountingSettings, ServiceAccounting

NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
# A valid SIRET (Luhn): the one used by the tests and the demo town.
SIRET = "21220113700016"


def accounting_ready(*services, **overrides) -> AccountingSettings:
    values = {"id_post": "022030", "post_label": "Lannion", "id_coll": SIRET, "cod_col": "113", "cod_bud": "01",
              "fiscal_year": 2026, "nature": "7066", **overrides}
    settings = AccountingSettings.objects.create(**values)
    for number, service in enumerate(services, start=1):
        ServiceAccounting.objects.create(service=service, cod_prod_loc=f"CA{number:02d}")
    return settings


def november_run(canteen, *families, with_pdfs: bool = False) -> InvoiceRun:
    """Book every child of `families` on the canteen's November school days, then run the invoicing."""
    TariffFactory(service=canteen)
    for family in families:
        for child in family.children:
            book(child, canteen, school_days(*NOVEMBER))
    run = InvoiceRun.objects.create(period_start=NOVEMBER[0], period_end=NOVEMBER[1], with_pdfs=with_pdfs)
    return invoice_run_execute(run_id=run.pk)
