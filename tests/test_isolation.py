"""Data and cookie isolation between two towns."""

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from tenant_apps.accounts.models import User
from tenant_apps.core.models import TownProfile

PASSWORD = "Tartine-2-Confiture"


def test_a_row_created_in_town_a_is_invisible_in_town_b(town_a, town_b):
    with tenant_context(town_a):
        User.objects.create_user("parent@example.fr", PASSWORD)
        assert User.objects.filter(email="parent@example.fr").exists()
    with tenant_context(town_b):
        assert not User.objects.filter(email="parent@example.fr").exists()
        assert TownProfile.current().display_name == "Mairie de Ville-B"


def test_the_same_email_can_hold_an_account_in_each_town(town_a, town_b):
    with tenant_context(town_a):
        User.objects.create_user("parent@example.fr", PASSWORD)
    with tenant_context(town_b):
        User.objects.create_user("parent@example.fr", "Autre-Mot-2-Passe")
        assert User.objects.count() == 1


@pytest.fixture
def parent_in_each_town(town_a, town_b):
    for town in (town_a, town_b):
        with tenant_context(town):
            User.objects.create_user("parent@example.fr", PASSWORD)
    connection.set_schema_to_public()


def _login(client: Client, slug: str):
    return client.post(f"/{slug}/connexion/", {"username": "parent@example.fr", "password": PASSWORD})


def test_session_and_csrf_cookies_are_scoped_to_the_town_path(parent_in_each_town):
    client = Client()
    client.get("/ville-a/connexion/")
    assert client.cookies["csrftoken"]["path"] == "/ville-a/"
    response = _login(client, "ville-a")
    assert response.status_code == 302
    assert response.cookies["sessionid"]["path"] == "/ville-a/"
    assert client.get("/ville-a/").status_code == 200


def test_a_session_cookie_of_town_a_is_worthless_in_town_b(parent_in_each_town):
    # Given a parent signed in to town A
    client_a = Client()
    _login(client_a, "ville-a")
    stolen = client_a.cookies["sessionid"].value
    assert client_a.get("/ville-a/").status_code == 200

    # When that session cookie is presented to town B (whatever the path)
    client_b = Client()
    client_b.cookies["sessionid"] = stolen
    response = client_b.get("/ville-b/")

    # Then town B treats the visitor as anonymous
    assert response.status_code == 302
    assert response["Location"].startswith("/ville-b/connexion/")


def test_logging_out_of_one_town_keeps_the_other_signed_in(parent_in_each_town):
    client = Client()
    _login(client, "ville-a")
    session_a = client.cookies["sessionid"].value
    _login(client, "ville-b")
    session_b = client.cookies["sessionid"].value
    assert session_a != session_b
    # The browser keeps one cookie per path; the test client keeps one per name, so re-send A's.
    client.cookies["sessionid"] = session_a
    client.post("/ville-a/deconnexion/")
    client.cookies["sessionid"] = session_b
    assert client.get("/ville-b/").status_code == 200


def test_public_pages_never_set_a_cookie_visible_to_towns(towns, db):
    response = Client().get("/ops/login/")
    assert response.status_code == 200
    for morsel in response.cookies.values():
        assert morsel["path"] == "/ops/"
