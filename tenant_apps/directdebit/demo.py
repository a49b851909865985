"""Demo data of direct debit: the town as SEPA creditor, and two households (MARTIN and LE GALL)
paying by direct debit, one from the portal with its PDF mandate, one on the town's paper form.
The ALAIN household keeps paying online (the guide's PAYER button)."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from tenant_apps.core.clock import town_today
from tenant_apps.families.models import Guardian, Household

from .models import Mandate
from .services import direct_debit_settings_update, mandate_request, mandate_validate

# A minimal PDF standing for the signed mandate.
DEMO_MANDATE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

HOUSEHOLDS = [
    ("MARTIN", "Sophie", "8 rue de Kerampont", "FR7630006000011234567890189", "AGRIFRPP", False),
    ("LE GALL", "Yann", "12 allée des Hortensias", "FR1420041010050500013M02606", "PSSTFRPP", True),
]


def load(town) -> None:
    direct_debit_settings_update(
        enabled=True, creditor_id="FR72ZZZ123456", creditor_name=town.name[:70],
        creditor_iban="FR7610071220000000200012306", creditor_bic="TRPUFRP1", collection_rule="day_of_next_month",
        collection_day=5, rejection_fee=Decimal("5.00"), suspend_after_rejects=2,
    )
    signed_on = town_today() - dt.timedelta(days=60)
    for name, first_name, street, iban, bic, paper in HOUSEHOLDS:
        household = Household.objects.filter(name=name).first()
        if household is None:
            household = Household.objects.create(name=name, address_line=street, postcode="22300", city="Lannion")
            Guardian.objects.create(household=household, first_name=first_name, last_name=name, is_payer=True,
                                    email=f"{first_name.lower()}.{name.lower().replace(' ', '')}@demo.portail-famille.fr")
        if Mandate.objects.filter(household=household).exists():
            continue
        document = None if paper else SimpleUploadedFile("mandat.pdf", DEMO_MANDATE_PDF, "application/pdf")
        mandate = mandate_request(household=household, debtor_name=f"{first_name} {name}", iban=iban, bic=bic,
                                  document=document, paper_form=paper, signed_on=signed_on)
        mandate_validate(mandate=mandate, signed_on=signed_on)
