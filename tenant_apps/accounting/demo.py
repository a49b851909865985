"""Demo data of accounting: the demo town's identifiers for Hélios and a product code per service,
so that staff can export the PES file of a run straight away. Runs after the billing demo."""

from tenant_apps.catalog.models import Service
from tenant_apps.core.clock import town_today

from .models import AccountingSettings, ServiceAccounting

# A made-up but well-formed SIRET (Luhn key right) for the demo town.
DEMO_SIRET = "21220113700016"


def load(town) -> None:
    AccountingSettings.objects.get_or_create(defaults={
        "id_post": "022030", "post_label": "SGC Lannion", "id_coll": DEMO_SIRET, "cod_col": "113", "cod_bud": "01",
        "fiscal_year": town_today().year, "nature": "7066", "regie": "ENFANCE",
    })
    for number, service in enumerate(Service.objects.order_by("pk"), start=1):
        ServiceAccounting.objects.get_or_create(service=service, defaults={"cod_prod_loc": f"EN{number:02d}"})
