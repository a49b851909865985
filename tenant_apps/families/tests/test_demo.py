"""Demo data: the seed's ALAIN household, with a working guardian login for `make run`."""

import pytest

from .. import demo
from ..models import Child, Guardian, Household

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_alain_household_of_the_guide(town):
    demo.load(town)
    household = Household.objects.get(name="ALAIN")
    assert (household.address_line, household.postcode, household.city) == ("1 rue des Écoles", "22300", "Lannion")
    marie = Guardian.objects.get(email=demo.DEMO_PARENT_EMAIL)
    assert str(marie) == "ALAIN Marie" and marie.household == household
    assert household.guardians.count() == 2
    theo = Child.objects.get(first_name="Théo")
    assert theo.age() == 7 and theo.birth_city == "Lannion" and theo.get_diet_display() == "Sans porc"
    assert str(theo.placements.get()) == "2026-2027 / École élémentaire / CE2/CM1 / CM1"
    assert theo.doctor_name == "Dr M. LEFEVBRE"
    assert (theo.emergency_contacts.count(), theo.pickup_contacts.count()) == (2, 2)
    assert (theo.authorisations.count(), theo.documents.count()) == (2, 1)
    anna, david = Child.objects.get(first_name="Anna"), Child.objects.get(first_name="David")
    assert anna.birth_date > theo.birth_date and david.birth_date > anna.birth_date


def test_the_demo_parent_signs_in_with_the_printed_password_and_sees_the_guide_page(town, client):
    demo.load(town)
    assert Guardian.objects.get(email=demo.DEMO_PARENT_EMAIL).user.check_password(demo.DEMO_PARENT_PASSWORD)
    response = client.post("/ville-a/connexion/", {"username": demo.DEMO_PARENT_EMAIL,
                                                   "password": demo.DEMO_PARENT_PASSWORD})
    assert response.status_code == 302
    theo = Child.objects.get(first_name="Théo")
    body = client.get(f"/ville-a/mes-enfants/{theo.pk}/").content.decode()
    assert "ALAIN Théo" in body and "7 ans" in body and "Médecin traitant : Dr M. LEFEVBRE" in body
    assert "Urgence : 2 contacts Sortie : 2 contacts" in body
    assert "Nombre de documents : 1" in body and "Nombre d'autorisations : 2" in body
