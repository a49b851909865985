"""Bad input to the family record API, found by the schemathesis fuzzing (tests/test_api_fuzz.py):
each was a 500; now a 400 with a French message, and nothing is written."""

import pytest

from ..models import Allergy, Authorisation, EmergencyContact, Vaccine

pytestmark = pytest.mark.django_db

API = "/ville-a/api/v1"


@pytest.mark.parametrize("body", ["[null, null]", "null", '"Arachides"', "42"])
@pytest.mark.parametrize("path", ["allergies/", "vaccines/", "emergency-contacts/", "pickup-contacts/"])
def test_a_body_that_is_not_an_object_is_refused_and_adds_nothing(parent_client, family, path, body):
    # Given Théo's record with its allergies, vaccines and contacts
    counts = (Allergy.objects.count(), Vaccine.objects.count(), EmergencyContact.objects.count())
    # When an API client posts a JSON array (or null, a string, a number) instead of an object
    response = parent_client.post(f"{API}/children/{family.child.pk}/{path}", body,
                                  content_type="application/json")
    # Then a 400 says so in French, and no sub-record was added
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_value", "detail": "Le corps de la requête doit être un objet JSON."}
    assert (Allergy.objects.count(), Vaccine.objects.count(), EmergencyContact.objects.count()) == counts


def test_an_authorisation_with_a_non_object_body_is_refused(parent_client, family):
    before = list(Authorisation.objects.values_list("kind", "granted"))
    response = parent_client.put(f"{API}/children/{family.child.pk}/authorisations/photo/", "[true]",
                                 content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_value"
    assert list(Authorisation.objects.values_list("kind", "granted")) == before


@pytest.mark.parametrize("value", [[None, None], {"year": 1980}, False, True])
def test_a_list_where_one_value_is_expected_is_a_400_field_by_field(parent_client, family, value):
    # Given Marie ALAIN, guardian, with her first name and no birth date
    guardian = family.guardian
    # When an API client sends a JSON array (object, boolean) as her birth date, with a new first name
    response = parent_client.patch(f"{API}/guardians/{guardian.pk}/", {"birth_date": value,
                                                                      "first_name": "Mariette"},
                                   content_type="application/json")
    # Then a 400 names the field in French, and nothing changed (not even the valid first name)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "guardian.birth_date": ["Une seule valeur est attendue (un texte, un nombre ou une date)."]}
    guardian.refresh_from_db()
    assert guardian.first_name == "Marie" and guardian.birth_date is None


def test_the_schema_allows_an_empty_relationship_as_the_api_answers_it(parent_client, family):
    # Given a guardian whose relationship to the children is not filled in
    family.guardian.relationship = ""
    family.guardian.save(update_fields=["relationship"])
    answer = parent_client.get(f"{API}/guardians/{family.guardian.pk}/").json()
    assert answer["relationship"] == ""
    # Then the OpenAPI document lists "" among the accepted values (it did not: a schema lie)
    schema = parent_client.get(f"{API}/schema/?format=json").json()
    relationship = schema["components"]["schemas"]["Guardian"]["properties"]["relationship"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in relationship["oneOf"]
