"""MES ENFANTS: list, child page with the guide's categories, sub-records added and removed."""

import datetime as dt

import pytest
from django.utils import timezone

from tenant_apps.accounts.models import User
from tenant_apps.catalog.models import Enrolment, Service, school_year_of

from ..models import (
    Allergy,
    Authorisation,
    Child,
    EmergencyContact,
    FieldChange,
    Guardian,
    Household,
    PickupContact,
    Vaccine,
)

pytestmark = pytest.mark.django_db


def child_url(child, suffix=""):
    return f"/ville-a/mes-enfants/{child.pk}/{suffix}"


def test_the_children_list_shows_names_and_ages(parent_client, family):
    body = parent_client.get("/ville-a/mes-enfants/").content.decode()
    assert "ALAIN Théo" in body and "7 ans" in body
    assert f'href="/ville-a/mes-enfants/{family.child.pk}/"' in body


def test_the_child_page_reminds_birth_date_city_and_age_and_has_the_guides_categories(parent_client, family, records):
    body = parent_client.get(child_url(family.child)).content.decode()
    assert "ALAIN Théo" in body and "7 ans" in body
    assert "le 12/03/2019 à Lannion" in body
    for title in ("Mon cursus, mes groupes", "Mes prestations et mes réservations en masse",
                  "Mes informations médicales", "Mes contacts de sortie et d&#x27;urgence", "Mes documents",
                  "Mes autorisations"):
        assert title in body
    assert "Cursus 2026-2027 : Année scolaire 2026-2027 / École élémentaire / CE2/CM1 / CM1" in body
    assert "Aucune inscription" in body
    assert "Urgence : 1 contact Sortie : 1 contact" in body
    assert "Nombre de documents : 1" in body


def test_a_parent_adds_and_removes_an_allergy(parent_client, family):
    # When the parent adds an allergy
    response = parent_client.post(child_url(family.child, "allergies/ajouter/"), {"name": "Kiwi", "details": "œdème"})
    # Then they come back to the medical section with a confirmation
    assert response.status_code == 302 and response["Location"].endswith("#section-medical")
    page = parent_client.get(response["Location"]).content.decode()
    assert "Vos informations ont été modifiées." in page and "Kiwi – œdème" in page
    kiwi = Allergy.objects.get(child=family.child, name="Kiwi")
    # and the staff see it in the audit trail (allergies are audited by default)
    assert FieldChange.objects.filter(field_key="child.allergies", new_value="Kiwi").exists()
    # When they remove it
    parent_client.post(child_url(family.child, f"allergies/{kiwi.pk}/supprimer/"))
    assert not Allergy.objects.filter(pk=kiwi.pk).exists()


def test_an_allergy_added_with_htmx_answers_the_section_with_the_message(parent_client, family):
    response = parent_client.post(child_url(family.child, "allergies/ajouter/"), {"name": "Gluten"},
                                  headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="card record-section" id="section-medical">')
    assert "Gluten" in body and "Vos informations ont été modifiées." in body


def test_an_empty_allergy_is_refused_with_a_french_message(parent_client, family):
    response = parent_client.post(child_url(family.child, "allergies/ajouter/"), {"name": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()


def test_vaccines_with_a_future_date_are_refused(parent_client, family):
    response = parent_client.post(child_url(family.child, "vaccins/ajouter/"), {"name": "ROR", "given_on": "2027-01-01"})
    assert response.status_code == 400
    assert "La date ne peut pas être dans le futur." in response.content.decode()
    ok = parent_client.post(child_url(family.child, "vaccins/ajouter/"), {"name": "ROR", "given_on": "2021-01-04"})
    assert ok.status_code == 302
    assert Vaccine.objects.filter(child=family.child, name="ROR").exists()


def test_contacts_are_added_with_a_valid_phone_and_removed(parent_client, family, records):
    bad = parent_client.post(child_url(family.child, "contacts/urgence/ajouter/"),
                             {"name": "Yann", "relationship": "Oncle", "phone": "123"})
    assert bad.status_code == 400 and "Numéro de téléphone invalide" in bad.content.decode()
    parent_client.post(child_url(family.child, "contacts/sortie/ajouter/"),
                       {"name": "Yann", "relationship": "Oncle", "phone": "0655667788"})
    contact = PickupContact.objects.get(child=family.child, name="Yann")
    assert contact.phone == "06 55 66 77 88"
    parent_client.post(child_url(family.child, f"contacts/urgence/{records['emergency'].pk}/supprimer/"))
    assert not EmergencyContact.objects.filter(child=family.child).exists()


def test_authorisations_are_granted_or_refused(parent_client, family):
    parent_client.post(child_url(family.child, "autorisations/leave_alone/"), {"granted": "oui"})
    parent_client.post(child_url(family.child, "autorisations/photo/"), {"granted": "non"})
    granted = dict(Authorisation.objects.filter(child=family.child).values_list("kind", "granted"))
    assert granted == {"leave_alone": True, "photo": False}


def test_child_fields_are_edited_in_place_like_the_profile(parent_client, family):
    url = child_url(family.child, "modifier/child.doctor_name/")
    response = parent_client.post(url, {"value": "Dr M. LEFEVBRE"})
    assert response.status_code == 302
    family.child.refresh_from_db()
    assert family.child.doctor_name == "Dr M. LEFEVBRE"
    parent_client.post(child_url(family.child, "modifier/child.diet/"), {"value": "sans_porc"})
    family.child.refresh_from_db()
    assert family.child.get_diet_display() == "Sans porc"


def test_the_child_page_lists_the_childs_enrolments_of_this_school_year(client, town):

    # Given Théo is enrolled in the canteen and the morning care this school year, and was last year in ALSH
    household = Household.objects.create(name="ALAIN")
    user = User.objects.create_user("marie@example.fr", "Tartine-2-Confiture")
    Guardian.objects.create(household=household, user=user, first_name="Marie", last_name="ALAIN")
    theo = Child.objects.create(household=household, first_name="Théo", last_name="ALAIN", birth_date=dt.date(2019, 3, 1))
    this_year = school_year_of(timezone.localdate())
    canteen = Service.objects.create(name="Repas Enfant", position=1)
    morning = Service.objects.create(name="Accueil périscolaire matin", position=2)
    alsh = Service.objects.create(name="ALSH Mercredi matin", position=3)
    Enrolment.objects.create(child=theo, service=morning, school_year=this_year)
    Enrolment.objects.create(child=theo, service=canteen, school_year=this_year)
    Enrolment.objects.create(child=theo, service=alsh, school_year="2001-2002")
    client.force_login(user)

    # When his parent opens his page
    page = client.get(f"/ville-a/mes-enfants/{theo.pk}/").content.decode()

    # Then the prestations section lists this year's enrolments in the grid's order
    assert f"Inscription {this_year} : Repas Enfant / Accueil périscolaire matin" in page
    assert "ALSH Mercredi matin" not in page
