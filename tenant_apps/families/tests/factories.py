"""Factories of the family record (run inside a town's schema). Users come from the accounts app."""

from datetime import date

import factory

from tenant_apps.accounts.tests.factories import PASSWORD, UserFactory

from ..models import (
    Allergy,
    Authorisation,
    Child,
    ChildDocument,
    EmergencyContact,
    Guardian,
    Household,
    PickupContact,
    SchoolPlacement,
    Vaccine,
)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"FAMILLE{n}")
    address_line = "1 rue des Écoles"
    postcode = "22300"
    city = "Lannion"
    family_quotient = 850


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    household = factory.SubFactory(HouseholdFactory)
    user = factory.SubFactory(UserFactory, password=PASSWORD)  # a guardian can sign in
    first_name = "Marie"
    last_name = factory.LazyAttribute(lambda o: o.household.name)
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "")
    mobile_phone = "06 12 34 56 78"
    relationship = "mere"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    household = factory.SubFactory(HouseholdFactory)
    first_name = "Théo"
    last_name = factory.LazyAttribute(lambda o: o.household.name)
    birth_date = date(2019, 3, 12)
    birth_city = "Lannion"


def child_with_records(child: Child) -> dict:
    """Give a child one of every sub-record; returns them by name."""
    from django.core.files.base import ContentFile

    from ..demo import DEMO_PDF

    document = ChildDocument(child=child, title="Certificat", content_type="application/pdf", size=len(DEMO_PDF))
    document.file.save("certificat.pdf", ContentFile(DEMO_PDF), save=False)
    document.save()
    return {
        "placement": SchoolPlacement.objects.create(child=child, school_year="2026-2027", school="École élémentaire",
                                                    level="CE2/CM1", school_class="CM1"),
        "allergy": Allergy.objects.create(child=child, name="Arachides"),
        "vaccine": Vaccine.objects.create(child=child, name="DTP", given_on=date(2020, 5, 1)),
        "emergency": EmergencyContact.objects.create(child=child, name="Jeanne", relationship="Grand-mère",
                                                     phone="06 11 22 33 44"),
        "pickup": PickupContact.objects.create(child=child, name="Sophie", relationship="Voisine",
                                               phone="07 81 23 45 67"),
        "authorisation": Authorisation.objects.create(child=child, kind="photo", granted=True),
        "document": document,
    }
