"""MON PROFIL: a parent edits their household and guardians' data in place; validation in French."""

import pytest

from ..models import FieldChange

pytestmark = pytest.mark.django_db

PROFILE = "/ville-a/mon-profil/"


def edit_url(key, pk):
    return f"/ville-a/mon-profil/modifier/{key}/{pk}/"


def test_the_profile_shows_the_household_and_guardians_in_foldable_categories(parent_client, family):
    # When the parent opens MON PROFIL
    response = parent_client.get(PROFILE)
    body = response.content.decode()
    # Then they see their household and guardian data grouped in categories with pencils
    assert response.status_code == 200
    for category in ("Coordonnées", "État civil", "Adresse du foyer", "Situation"):
        assert category in body
    assert "<details" in body and "<summary>" in body
    assert "06 12 34 56 78" in body
    assert 'aria-label="Modifier Téléphone portable"' in body
    # and the quotient familial is shown read-only (no pencil)
    assert 'aria-label="Modifier Quotient familial"' not in body
    assert "850" in body


def test_a_parent_changes_a_phone_number_without_javascript(parent_client, family):
    # Given the edit page of the mobile phone (the pencil link)
    url = edit_url("guardian.mobile_phone", family.guardian.pk)
    page = parent_client.get(url)
    assert page.status_code == 200 and "Valider" in page.content.decode()
    # When they post a new number written without spaces
    response = parent_client.post(url, {"value": "0698765432"})
    # Then they are sent back to the profile with a confirmation, and the number is stored formatted
    assert response.status_code == 302
    follow = parent_client.get(response["Location"])
    assert "Vos informations ont été modifiées." in follow.content.decode()
    family.guardian.refresh_from_db()
    assert family.guardian.mobile_phone == "06 98 76 54 32"


def test_the_in_place_edit_answers_small_fragments_for_htmx(parent_client, family):
    url = edit_url("guardian.mobile_phone", family.guardian.pk)
    # The pencil fetches a small form, not the whole page
    form = parent_client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in form.content.decode() and 'name="value"' in form.content.decode()
    # The check button posts it back and gets the field with a confirmation message
    saved = parent_client.post(url, {"value": "07 81 23 45 68"}, headers={"HX-Request": "true"})
    body = saved.content.decode()
    assert saved.status_code == 200
    assert "07 81 23 45 68" in body and "Vos informations ont été modifiées." in body
    # The same address answers a page without htmx: a cache in between must keep them apart
    page = parent_client.get(url)
    assert "<html" in page.content.decode()
    for response in (page, form, saved):
        assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(("key", "value", "message"), [
    ("guardian.mobile_phone", "12345", "Numéro de téléphone invalide"),
    ("household.postcode", "2230", "Le code postal doit comporter 5 chiffres."),
    ("guardian.email", "pas-une-adresse", "Saisissez une adresse e-mail valide."),
    ("guardian.birth_date", "2030-01-01", "La date ne peut pas être dans le futur."),
    ("guardian.last_name", "", "Ce champ est obligatoire."),
])
def test_bad_values_are_refused_with_a_french_message_and_nothing_changes(parent_client, family, key, value, message):
    obj = family.household if key.startswith("household") else family.guardian
    before = getattr(obj, key.split(".")[1])
    response = parent_client.post(edit_url(key, obj.pk), {"value": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, key.split(".")[1]) == before


def test_an_email_used_by_another_family_is_refused(parent_client, family, other_family):
    response = parent_client.post(edit_url("guardian.email", family.guardian.pk),
                                  {"value": "PAUL.BERNARD@exemple.fr"})
    assert response.status_code == 400
    assert "déjà utilisée" in response.content.decode()


def test_a_parent_edits_the_other_guardian_of_the_household(parent_client, family):
    from .factories import GuardianFactory

    father = GuardianFactory(household=family.household, first_name="Pierre", user__email="pierre@exemple.fr")
    response = parent_client.post(edit_url("guardian.work_phone", father.pk), {"value": "02 96 48 68 19"})
    assert response.status_code == 302
    father.refresh_from_db()
    assert father.work_phone == "02 96 48 68 19"


def test_the_household_address_is_edited_and_audited(parent_client, family):
    response = parent_client.post(edit_url("household.city", family.household.pk), {"value": "Perros-Guirec"})
    assert response.status_code == 302
    family.household.refresh_from_db()
    assert family.household.city == "Perros-Guirec"
    change = FieldChange.objects.get()
    assert (change.field_key, change.old_value, change.new_value) == ("household.city", "Lannion", "Perros-Guirec")


def test_cancel_puts_the_field_back_without_saving(parent_client, family):
    url = edit_url("guardian.mobile_phone", family.guardian.pk)
    response = parent_client.get(f"{url}?annuler=1", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'aria-label="Modifier Téléphone portable"' in body and "Vos informations" not in body


def test_a_yes_no_field_is_edited_with_radio_buttons(parent_client, family):
    url = f"/ville-a/mes-enfants/{family.child.pk}/modifier/child.care_plan/"
    form = parent_client.get(url).content.decode()
    assert 'type="radio"' in form and "Oui" in form and "Non" in form
    assert parent_client.post(url, {"value": "oui"}).status_code == 302
    family.child.refresh_from_db()
    assert family.child.care_plan is True
    assert "PAI (projet d&#x27;accueil individualisé)" in parent_client.get(f"/ville-a/mes-enfants/{family.child.pk}/").content.decode()


# A guardian's e-mail (their login) is changed through a confirmed request: see test_login_email.py.
