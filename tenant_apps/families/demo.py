"""Demo data of the family record: the seed's ALAIN household (guide section 3).

`load(town)` runs inside the town's schema (called by `create_town --demo`).
"""

from datetime import date

from django.core.files.base import ContentFile

from tenant_apps.core.clock import town_today

from . import services
from .models import Authorisation, ChildDocument, EmergencyContact, PickupContact, SchoolPlacement

DEMO_PARENT_EMAIL = "parent@demo.portail-famille.fr"
DEMO_PARENT_PASSWORD = "Demo-Portail-2026!"  # noqa: S105 - the public demo login printed by `make run`

# A minimal valid one-page PDF ("Certificat médical"), so the demo document downloads and opens.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 60>>stream\nBT /F1 18 Tf 72 760 Td (Certificat medical - ALAIN Theo) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _years_ago(today: date, years: int, month: int, day: int) -> date:
    """A birth date that makes the child `years` old today (birthday earlier this year)."""
    born = date(today.year - years, month, day)
    if (month, day) > (today.month, today.day):
        born = date(today.year - years - 1, month, day)
    return born


def _school_year(today: date) -> str:
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}-{start + 1}"


def load(town) -> None:
    today = town_today()
    household = services.household_create(
        name="ALAIN", address_line="1 rue des Écoles", postcode="22300", city="Lannion",
        family_quotient=850, family_quotient_valid_from=date(today.year, 1, 1),
        family_quotient_valid_until=date(today.year, 12, 31),
    )
    mother = services.guardian_create(
        household=household, first_name="Marie", last_name="ALAIN", email=DEMO_PARENT_EMAIL, civility="mme",
        relationship="mere", marital_status="marie", mobile_phone="06 12 34 56 78", home_phone="02 96 00 00 01",
        profession="Infirmière", employer="Centre hospitalier de Lannion", is_payer=True,
    )
    account = mother.user
    if account is None:
        raise RuntimeError("the demo parent has an e-mail address, hence an account")
    account.set_password(DEMO_PARENT_PASSWORD)
    account.save(update_fields=["password", "password_changed_at"])
    services.guardian_create(
        household=household, first_name="Pierre", last_name="ALAIN", email="pierre.alain@demo.portail-famille.fr",
        civility="m", relationship="pere", marital_status="marie", mobile_phone="06 98 76 54 32",
        work_phone="02 96 00 00 02", profession="Technicien",
    )

    theo = services.child_create(
        household=household, first_name="Théo", last_name="ALAIN", sex="M", birth_date=_years_ago(today, 7, 3, 12),
        birth_city="Lannion", diet="sans_porc", doctor_name="Dr M. LEFEVBRE", doctor_phone="02 96 37 00 00",
    )
    SchoolPlacement.objects.create(child=theo, school_year=_school_year(today), school="École élémentaire",
                                   level="CE2/CM1", school_class="CM1")
    EmergencyContact.objects.create(child=theo, name="Jeanne LE GALL", relationship="Grand-mère",
                                    phone="06 11 22 33 44")
    EmergencyContact.objects.create(child=theo, name="Yann ALAIN", relationship="Oncle", phone="06 55 66 77 88")
    PickupContact.objects.create(child=theo, name="Jeanne LE GALL", relationship="Grand-mère", phone="06 11 22 33 44")
    PickupContact.objects.create(child=theo, name="Sophie MARTIN", relationship="Voisine", phone="07 81 23 45 67")
    Authorisation.objects.create(child=theo, kind=Authorisation.Kind.PHOTO, granted=True)
    Authorisation.objects.create(child=theo, kind=Authorisation.Kind.CARE, granted=True)
    document = ChildDocument(child=theo, title="Certificat médical", content_type="application/pdf",
                             size=len(DEMO_PDF))
    document.file.save("certificat-medical.pdf", ContentFile(DEMO_PDF), save=False)
    document.save()

    anna = services.child_create(
        household=household, first_name="Anna", last_name="ALAIN", sex="F", birth_date=_years_ago(today, 5, 6, 3),
        birth_city="Lannion",
    )
    SchoolPlacement.objects.create(child=anna, school_year=_school_year(today), school="École maternelle",
                                   level="GS", school_class="GS")
    services.child_create(
        household=household, first_name="David", last_name="ALAIN", sex="M", birth_date=_years_ago(today, 2, 9, 21),
        birth_city="Lannion",
    )
