"""Input that used to answer 500 (issue 10, "no 500 under bad input"): deeply nested JSON, lone
surrogates, bodies over the size limits. Each is now a 4xx in the API's error shape (or the
French page outside the API), and nothing is written."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tenant_apps.families.models import Allergy, ChildDocument, FieldChange
from tenants.parsers import MAX_DEPTH
from tests.support.files import PDF_BYTES

pytestmark = pytest.mark.django_db

API = "/ville-a/api/v1"
LONE_SURROGATE = '"\\ud800"'  # valid JSON, not valid text


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def changes() -> tuple:
    return (FieldChange.objects.count(), Allergy.objects.count(), ChildDocument.objects.count())


@pytest.fixture
def anonymous(town_a):
    return Client(raise_request_exception=False)


# --- Deeply nested JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_to_the_anonymous_token_endpoint_is_a_400(anonymous, depth):
    # When someone posts thousands of nested arrays where the e-mail and password are expected
    response = anonymous.post(f"{API}/auth/token/", nested(depth), content_type="application/json")
    # Then a 400 in the API's error shape, not a 500 from an exhausted recursion limit
    assert response.status_code == 400
    assert response.json() == {
        "code": "parse_error", "detail": f"Le corps de la requête est trop imbriqué ({MAX_DEPTH} niveaux au plus)."}


def test_deeply_nested_json_in_a_field_is_refused_and_nothing_changes(parent_client, family):
    before = changes()
    body = '{"city": ' + nested(5_000) + ', "postcode": "22700"}'
    response = parent_client.patch(f"{API}/household/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
    family.household.refresh_from_db()
    assert family.household.postcode == "22300" and changes() == before


def test_nesting_up_to_the_limit_is_parsed(anonymous):
    # Nesting a client could plausibly send is read: the answer is about the values, not the parsing
    response = anonymous.post(f"{API}/auth/token/", '{"email": ' + nested(MAX_DEPTH - 1) + "}",
                              content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    too_deep = anonymous.post(f"{API}/auth/token/", '{"email": ' + nested(MAX_DEPTH) + "}",
                              content_type="application/json")
    assert too_deep.json()["code"] == "parse_error"


# --- Lone surrogates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "field"), [
    ("patch", "household/", "city"),
    ("patch", "guardians/{guardian}/", "profession"),
    ("patch", "children/{child}/", "doctor_name"),
    ("post", "children/{child}/allergies/", "name"),
    ("post", "children/{child}/allergies/", "details"),
    ("post", "children/{child}/emergency-contacts/", "name"),
])
def test_a_lone_surrogate_in_a_family_field_is_a_400_naming_the_field(parent_client, family, method, path, field):
    # Given the ALAIN household's record
    before = changes()
    url = f"{API}/" + path.format(guardian=family.guardian.pk, child=family.child.pk)
    # When an API client sends a string holding half a surrogate pair (PostgreSQL cannot store it)
    body = f'{{"name": "Kiwi", "phone": "0611223344", "{field}": {LONE_SURROGATE}}}'
    response = getattr(parent_client, method)(url, body, content_type="application/json")
    # Then a 400 names the field, in the API's error shape, and nothing was written
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "invalid"
    assert list(answer["errors"]) == [field]
    assert "caractère invalide" in answer["errors"][field][0]
    assert changes() == before


def test_a_lone_surrogate_in_a_key_or_a_nested_value_is_refused(parent_client, family):
    in_key = parent_client.patch(f"{API}/household/", '{"\\udfff": "x"}', content_type="application/json")
    assert in_key.status_code == 400 and list(in_key.json()["errors"]) == ["non_field_errors"]
    nested_value = parent_client.post(f"{API}/conversations/", '{"subject": ["ok", "\\ud83d"]}',
                                      content_type="application/json")
    assert nested_value.status_code == 400 and list(nested_value.json()["errors"]) == ["subject.1"]


def test_a_proper_surrogate_pair_is_text_and_is_saved(parent_client, family):
    # An emoji written as an escaped surrogate pair is valid JSON and valid text
    response = parent_client.post(f"{API}/children/{family.child.pk}/allergies/",
                                  '{"name": "Kiwi \\ud83e\\udd5d"}', content_type="application/json")
    assert response.status_code == 201
    assert Allergy.objects.filter(name="Kiwi 🥝").exists()


# --- Bodies over the size limits ------------------------------------------------------------------------


def test_an_11_mb_json_body_is_a_json_413_not_an_html_page(anonymous, settings):
    body = json.dumps({"email": "marie@exemple.fr", "password": "x" * (11 * 1024 * 1024)})
    response = anonymous.post(f"{API}/auth/token/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "request_too_large", "detail": "La requête est trop volumineuse."}


def test_a_json_body_over_the_memory_limit_is_refused_before_anything_is_written(parent_client, family, settings):
    before = changes()
    body = json.dumps({"city": "Lannion", "doctor": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = parent_client.patch(f"{API}/household/", body, content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"
    assert changes() == before


def test_an_upload_over_the_request_limit_is_refused_before_it_is_read(parent_client, family, settings):
    settings.REQUEST_MAX_BYTES = 64 * 1024
    before = changes()
    big_pdf = SimpleUploadedFile("bulletin.pdf", PDF_BYTES + b"\n%" * (40 * 1024), content_type="application/pdf")
    response = parent_client.post(f"{API}/children/{family.child.pk}/documents/",
                                  {"title": "Bulletin", "file": big_pdf})
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"
    assert changes() == before


def test_a_page_posted_too_much_answers_the_french_page(anonymous, settings):
    # A form over the memory limit, to the login page: the French page, not Django's English one
    response = anonymous.post("/ville-a/connexion/", {"username": "x", "password": "y" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()
    settings.REQUEST_MAX_BYTES = 1024
    response = anonymous.post("/ville-a/connexion/", {"username": "x", "password": "y" * 2048})
    assert response.status_code == 413 and "Envoi trop volumineux" in response.content.decode()


# --- A NUL byte in the query string ----------------------------------------------------------------------


def test_a_nul_byte_in_a_search_is_a_400_page_not_a_500(town):
    from tenant_apps.accounts.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("agent@mairie.fr", "x", is_staff=True))
    # When a gestionnaire's search holds a NUL byte (PostgreSQL refuses it in a query)
    for path in ("/ville-a/gestion/familles/?q=%00", "/ville-a/gestion/facturation/factures/?q=a%00b"):
        response = client.get(path)
        # Then the French page says the request is invalid
        assert response.status_code == 400
        assert "Demande invalide" in response.content.decode()


# --- Whatever fails, the API answers JSON -------------------------------------------------------------------


def test_a_server_error_in_the_api_is_still_json(parent_client, family, monkeypatch):
    from tenant_apps.families.api import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "household_of", explode)
    parent_client.raise_request_exception = False
    response = parent_client.get(f"{API}/household/")
    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "detail": "Erreur interne du serveur."}
