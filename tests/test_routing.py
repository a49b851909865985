"""Routing by the first path segment: towns, the public site, reserved and unknown slugs."""

import pytest
from django.db import connection

from provisioning.services import town_archive, town_rename


def test_the_landing_page_lists_active_towns_with_links(client, town_a, town_b):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/ville-a/"' in body and "Mairie de Ville-A" in body
    assert 'href="/ville-b/"' in body


def test_a_town_page_answers_under_its_slug_and_links_stay_inside_the_town(client, town_a):
    response = client.get("/ville-a/connexion/")
    assert response.status_code == 200
    assert 'action="/ville-a/connexion/"' in response.content.decode()
    assert 'href="/ville-a/nouveau-mot-de-passe/"' in response.content.decode()


def test_login_required_redirects_to_the_login_page_of_the_same_town(client, town_a):
    response = client.get("/ville-a/")
    assert response.status_code == 302
    assert response["Location"] == "/ville-a/connexion/?next=/ville-a/"


def test_the_town_root_without_slash_and_append_slash_stay_in_the_town(client, town_a):
    assert client.get("/ville-a")["Location"] == "/ville-a/"
    response = client.get("/ville-a/connexion")
    assert response.status_code == 301
    assert response["Location"] == "/ville-a/connexion/"


def test_an_unknown_slug_answers_a_french_404_page(client, towns, db):
    response = client.get("/nulle-part/connexion/")
    assert response.status_code == 404
    assert "Portail introuvable" in response.content.decode()


@pytest.mark.parametrize("segment", ["static", "ops", "api", "healthz", "media", "admin"])
def test_reserved_segments_never_reach_a_town(client, towns, db, segment):
    response = client.get(f"/{segment}/connexion/")
    assert response.status_code in (301, 302, 404)
    assert "Connexion" not in response.content.decode()


def test_a_renamed_town_answers_at_its_new_slug_and_the_old_one_redirects_permanently(client, town_a):
    town_rename(slug="ville-a", new_slug="ville-a-22")
    response = client.get("/ville-a/connexion/?next=/x/")
    assert response.status_code == 301
    assert response["Location"] == "/ville-a-22/connexion/?next=/x/"
    assert client.get("/ville-a-22/connexion/").status_code == 200


def test_an_archived_town_shows_the_closed_portal_page_and_keeps_its_data(client, town_b):
    town_archive(slug="ville-b")
    response = client.get("/ville-b/connexion/")
    assert response.status_code == 410
    assert "Portail fermé" in response.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [town_b.schema_name])
        assert cursor.fetchone() is not None


def test_the_schema_is_back_to_public_after_a_request_even_when_the_view_fails(client, town_a, monkeypatch):
    from tenant_apps.accounts import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.LoginView, "get", explode)
    client.raise_request_exception = False
    response = client.get("/ville-a/connexion/")
    assert response.status_code == 500
    assert connection.schema_name == "public"


def test_the_cached_lookup_is_forgotten_at_once_on_rename_and_archive(client, town_a, town_b):
    # Given both towns were just visited (their lookups are cached)
    assert client.get("/ville-a/connexion/").status_code == 200
    assert client.get("/ville-b/connexion/").status_code == 200

    # When one is renamed and the other archived
    town_rename(slug="ville-a", new_slug="ville-a-22")
    town_archive(slug="ville-b")

    # Then the very next requests see it
    assert client.get("/ville-a/connexion/").status_code == 301
    assert client.get("/ville-a-22/connexion/").status_code == 200
    assert client.get("/ville-b/connexion/").status_code == 410


@pytest.fixture
def dead_cache(settings, cache_server):
    """The cache is a Redis server that has just died."""
    settings.CACHES = {"default": {**settings.CACHES["default"],
                                   "BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": cache_server.url(1),
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    cache_server.kill()
    return settings


def test_towns_are_routed_from_the_database_while_the_cache_is_down(client, town_a, dead_cache):
    # A cache error is a cache miss: the town's page, a renamed slug and an unknown one all answer
    assert client.get("/ville-a/connexion/").status_code == 200
    assert client.get("/nulle-part/connexion/").status_code == 404


def test_the_worker_finds_a_town_while_the_cache_is_down(town_a, dead_cache):
    from tenants.routing import town_by_schema

    assert town_by_schema(town_a.schema_name) == town_a


@pytest.mark.parametrize("path", ["/ville%00/", "/%00/", "/ville-a%00/connexion/", "/%00", "/Ville A/", "/ville-a%0A/"])
def test_a_segment_no_town_could_have_is_the_french_404_without_a_lookup(client, towns, db, path,
                                                                         django_assert_num_queries):
    # A NUL byte (PostgreSQL refuses it in a query) or any character no slug has: unknown portal
    with django_assert_num_queries(0):
        response = client.get(path)
    assert response.status_code == 404
    assert "Portail introuvable" in response.content.decode()


def test_a_write_to_a_renamed_towns_old_address_is_redirected_with_308(client, town_a):
    # Given a town renamed: its old address redirects permanently
    town_rename(slug="ville-a", new_slug="ville-a-22")
    # When a client POSTs (a payment provider's notification, say) to the old address
    response = client.post("/ville-a/paiement/notification/?x=1", "reference=42",
                           content_type="application/x-www-form-urlencoded")
    # Then the answer is a 308: the client repeats the same POST, with its body, at the new address
    assert response.status_code == 308
    assert response["Location"] == "/ville-a-22/paiement/notification/?x=1"
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)("/ville-a/api/v1/household/").status_code == 308
    # While reads keep their 301
    assert client.get("/ville-a/connexion/").status_code == 301
    assert client.head("/ville-a/connexion/").status_code == 301
