"""REST API of the family record: same services, same policy, same audit, documented in OpenAPI."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ..demo import DEMO_PDF
from ..models import Allergy, ChildDocument, FieldChange

pytestmark = pytest.mark.django_db

API = "/ville-a/api/v1"


def test_a_parent_reads_their_household_guardians_and_children(parent_client, family, records):
    household = parent_client.get(f"{API}/household/").json()
    assert household["postcode"] == "22300" and household["guardians"][0]["email"] == "marie.alain@exemple.fr"
    child = parent_client.get(f"{API}/children/{family.child.pk}/").json()
    assert child["age"] == 7 and child["allergies"][0]["name"] == "Arachides"
    assert child["placements"][0]["school_class"] == "CM1"


def test_patch_goes_through_the_same_validation_policy_and_audit(parent_client, family):
    # A valid change is saved, normalised and audited
    ok = parent_client.patch(f"{API}/guardians/{family.guardian.pk}/", {"mobile_phone": "+33698765432"},
                             content_type="application/json")
    assert ok.status_code == 200 and ok.json()["mobile_phone"] == "06 98 76 54 32"
    assert FieldChange.objects.filter(field_key="guardian.mobile_phone").exists()
    # A bad value answers 400 with a stable code and a French message
    bad = parent_client.patch(f"{API}/household/", {"postcode": "ABCDE"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json() == {"code": "invalid_value", "detail": "Le code postal doit comporter 5 chiffres.",
                          "errors": {"household.postcode": ["Le code postal doit comporter 5 chiffres."]}}
    # A read-only field answers 403
    refused = parent_client.patch(f"{API}/household/", {"family_quotient": 1}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "field_read_only"
    # An unknown field answers 400
    unknown = parent_client.patch(f"{API}/children/{family.child.pk}/", {"household": 1},
                                  content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_field"
    family.household.refresh_from_db()
    assert family.household.family_quotient == 850


def test_patching_a_childs_care_plan_with_json_booleans(parent_client, family):
    response = parent_client.patch(f"{API}/children/{family.child.pk}/", {"care_plan": True,
                                   "care_plan_details": "Trousse d'urgence"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["care_plan"] is True


def test_sub_records_are_added_and_removed_through_the_api(parent_client, family):
    created = parent_client.post(f"{API}/children/{family.child.pk}/allergies/", {"name": "Kiwi"},
                                 content_type="application/json")
    assert created.status_code == 201
    allergy_id = created.json()["id"]
    assert parent_client.delete(f"{API}/children/{family.child.pk}/allergies/{allergy_id}/").status_code == 204
    assert not Allergy.objects.filter(pk=allergy_id).exists()
    contact = parent_client.post(f"{API}/children/{family.child.pk}/pickup-contacts/",
                                 {"name": "Yann", "phone": "123"}, content_type="application/json")
    assert contact.status_code == 400 and "Numéro de téléphone invalide" in contact.json()["detail"]
    vaccine = parent_client.post(f"{API}/children/{family.child.pk}/vaccines/", {"name": "ROR", "given_on": "2021-01-04"},
                                 content_type="application/json")
    assert vaccine.status_code == 201
    auth = parent_client.put(f"{API}/children/{family.child.pk}/authorisations/transport/", {"granted": True},
                             content_type="application/json")
    assert auth.status_code == 200 and auth.json()["granted"] is True


def test_documents_upload_checked_by_content_and_download(parent_client, family):
    fake = parent_client.post(f"{API}/children/{family.child.pk}/documents/",
                              {"title": "Faux", "file": SimpleUploadedFile("faux.pdf", b"texte " * 100)})
    assert fake.status_code == 400 and "Type de fichier non accepté" in fake.json()["detail"]
    real = parent_client.post(f"{API}/children/{family.child.pk}/documents/",
                              {"title": "Vrai", "file": SimpleUploadedFile("vrai.pdf", DEMO_PDF)})
    assert real.status_code == 201
    document = ChildDocument.objects.get(title="Vrai")
    download = parent_client.get(real.json()["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == DEMO_PDF
    assert document.child == family.child


def test_anonymous_callers_are_refused(family, client):
    response = client.get(f"{API}/household/")
    assert response.status_code == 401


def test_the_openapi_schema_documents_the_family_endpoints(parent_client):
    schema = parent_client.get(f"{API}/schema/").content.decode()
    for path in ("/household/", "/guardians/{guardian_id}/", "/children/{child_id}/allergies/",
                 "/children/{child_id}/documents/", "/children/{child_id}/authorisations/{kind}/"):
        assert path in schema
