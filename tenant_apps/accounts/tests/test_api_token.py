"""API authentication: a token for e-mail + password, throttled like the login page, revocable."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from rest_framework.authtoken.models import Token

from .factories import PASSWORD

TOKEN_URL = "/ville-a/api/v1/auth/token/"
PARIS = ZoneInfo("Europe/Paris")


def ask_token(client, email, password, ip="10.0.0.1"):
    return client.post(TOKEN_URL, {"email": email, "password": password}, content_type="application/json",
                       REMOTE_ADDR=ip)


def test_a_parent_exchanges_email_and_password_for_a_token_that_authenticates_the_api(client, parent):
    response = ask_token(client, "Marie.Alain@exemple.fr", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]

    me = client.get("/ville-a/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["email"] == "marie.alain@exemple.fr"


def test_without_credentials_the_api_refuses(client, town):
    assert client.get("/ville-a/api/v1/me/").status_code == 401
    assert client.get("/ville-a/api/v1/me/", HTTP_AUTHORIZATION="Token faux").status_code == 401


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, parent):
    wrong = ask_token(client, "marie.alain@exemple.fr", "Mauvais-1-mot")
    unknown = ask_token(client, "personne@exemple.fr", "Mauvais-1-mot")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json() == {
        "code": "invalid_credentials", "detail": "Adresse e-mail ou mot de passe incorrect."
    }


def test_a_malformed_request_is_a_400_with_field_errors(client, town):
    response = client.post(TOKEN_URL, {"email": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert "email" in response.json()["errors"] and "password" in response.json()["errors"]


def test_api_failures_lock_the_address_like_the_login_page(client, parent):
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        for _ in range(4):
            assert ask_token(client, "marie.alain@exemple.fr", "Mauvais-1-mot", ip="10.6.6.6").status_code == 400
        locked = ask_token(client, "marie.alain@exemple.fr", "Mauvais-1-mot", ip="10.6.6.6")
        assert locked.status_code == 429
        assert locked.json()["code"] == "locked_out"
        assert "réessayez à partir de 09:15" in locked.json()["detail"]
    with time_machine.travel(datetime(2026, 3, 10, 9, 10, tzinfo=PARIS), tick=False):
        # The right password does not open it from that address, nor does the login page
        assert ask_token(client, "marie.alain@exemple.fr", PASSWORD, ip="10.6.6.6").status_code == 429
        page = client.post("/ville-a/connexion/", {"username": "marie.alain@exemple.fr", "password": PASSWORD},
                           REMOTE_ADDR="10.6.6.6")
        assert page.status_code == 429
    # A try refused during the lock did not extend it
    with time_machine.travel(datetime(2026, 3, 10, 9, 16, tzinfo=PARIS), tick=False):
        assert ask_token(client, "marie.alain@exemple.fr", PASSWORD, ip="10.6.6.6").status_code == 200


def test_someone_elses_api_failures_never_keep_the_owner_out_from_another_address(client, parent):
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        # Given someone locks their own address with the parent's e-mail
        for _ in range(5):
            response = ask_token(client, "marie.alain@exemple.fr", "Mauvais-1-mot", ip="10.6.6.6")
        assert response.status_code == 429
        # Then the parent's app, from another address, still gets its token
        assert ask_token(client, "marie.alain@exemple.fr", PASSWORD, ip="10.1.1.1").status_code == 200
        # And so does the login page from there
        page = client.post("/ville-a/connexion/", {"username": "marie.alain@exemple.fr", "password": PASSWORD},
                           REMOTE_ADDR="10.1.1.2")
        assert page.status_code == 302


def test_delete_revokes_the_token(client, parent, town):
    token = ask_token(client, "marie.alain@exemple.fr", PASSWORD).json()["token"]

    response = client.delete(TOKEN_URL, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 204
    assert client.get("/ville-a/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert not Token.objects.exists()
    # Revoking needs a token
    assert client.delete(TOKEN_URL).status_code == 401


def test_a_token_of_one_town_means_nothing_in_another(client, parent, town_b):
    token = ask_token(client, "marie.alain@exemple.fr", PASSWORD).json()["token"]
    assert client.get("/ville-b/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_the_token_endpoint_is_documented_in_the_openapi_schema(client, parent):
    # The schema is served to signed-in clients
    token = ask_token(client, "marie.alain@exemple.fr", PASSWORD).json()["token"]
    response = client.get("/ville-a/api/v1/schema/?format=json", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    schema = response.json()
    operations = schema["paths"]["/api/v1/auth/token/"]
    assert set(operations) >= {"post", "delete"}
    assert set(operations["post"]["responses"]) >= {"200", "400", "429"}
    assert operations["post"]["summary"] == "Get an API token"
    assert "tokenAuth" in schema["components"]["securitySchemes"]
