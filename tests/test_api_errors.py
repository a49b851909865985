"""The API's errors, as the schemathesis fuzzing (tests/test_api_fuzz.py) made them: one JSON
shape `{code, detail, errors?}` for every 4xx, documented on every operation of the OpenAPI."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_api_address_is_a_json_404_not_the_portal_page(parent_client):
    # Given a parent signed in; an id that is not a number used to get the portal's HTML 404 page
    client = parent_client
    for path in ("children/null,null/", "invoices/abc/payment/", "nowhere/"):
        response = client.get(f"/ville-a/api/v1/{path}")
        # Then the API's own error shape, in JSON
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"code": "not_found", "detail": "Adresse inconnue."}
    # While a page of the portal still gets the HTML page
    assert "text/html" in client.get("/ville-a/nulle-part/")["Content-Type"]


def test_every_validation_error_has_a_code_a_french_detail_and_field_errors(client, town_a):
    response = client.post("/ville-a/api/v1/auth/token/", {"email": "pas-une-adresse"},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "detail": "email : Saisissez une adresse e-mail valide. password : Ce champ est obligatoire.",
        "errors": {"email": ["Saisissez une adresse e-mail valide."], "password": ["Ce champ est obligatoire."]},
    }
    not_signed_in = client.get("/ville-a/api/v1/household/")
    assert not_signed_in.status_code == 401 and not_signed_in.json()["code"] == "not_authenticated"


def test_the_schema_documents_the_errors_each_operation_answers(client, town_a):
    schema = client.get("/ville-a/api/v1/schema/?format=json").json()
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    household = schema["paths"]["/api/v1/household/"]
    # A read needing a sign-in: 401 (no token), 404 (an account without a household), 429 (throttled)
    assert set(household["get"]["responses"]) == {"200", "401", "404", "429"}
    assert household["get"]["responses"]["401"]["content"] == error
    assert household["get"]["responses"]["429"]["content"] == error
    # A write: also 400 (invalid input), 403 (a field only the staff may change), 413 (body too large)
    assert set(household["patch"]["responses"]) == {"200", "400", "401", "403", "404", "413", "429"}
    # The token endpoint needs no sign-in: no 401 documented, its 400 and 429 are in the Error shape
    token = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert set(token) == {"200", "400", "413", "429"} and token["400"]["content"] == error
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"code", "detail"}
