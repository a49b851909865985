"""Opening a town: "en préparation" (hidden, parents wait) until its staff press "Ouvrir le portail"."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django_tenants.utils import tenant_context

from tenant_apps.accounts.tests.factories import PASSWORD
from tenant_apps.accounts.tests.links import link_token
from tenants.models import Town
from tenants.routing import forget_local, forget_slugs
from tests.support.fixtures import TownClient as Client

HOME = "/ville-a/gestion/"


def sign_in(client, email):
    return client.post("/ville-a/connexion/", {"username": email, "password": PASSWORD})


@pytest.fixture
def in_preparation(town):
    """Town A as a new town: its portal not opened yet (the test's transaction puts it back)."""
    Town.objects.filter(pk=town.pk).update(opened_at=None, opened_by="")
    forget_slugs(town.slug)
    forget_local()
    town.opened_at = None
    return town


def test_a_town_in_preparation_is_hidden_and_tells_parents_it_opens_soon(in_preparation, family, staff, client):
    # The public landing page does not list it
    landing = Client().get("/").content.decode()
    assert "Ville-A" not in landing
    # Its login page tells parents it opens soon, and a parent cannot sign in
    login = client.get("/ville-a/connexion/").content.decode()
    assert "bientôt ouvert aux familles" in login
    refused = sign_in(client, family.user.email)
    assert refused.status_code == 200
    assert "Le portail famille ouvre bientôt" in refused.content.decode()
    # Nor get an API token
    token = client.post("/ville-a/api/v1/auth/token/", {"email": family.user.email, "password": PASSWORD},
                        content_type="application/json")
    assert token.status_code == 403 and token.json()["code"] == "portal_not_open"
    # A parent's session from before is closed on the "bientôt ouvert" page
    parent = Client()
    parent.force_login(family.user, backend="django.contrib.auth.backends.ModelBackend")
    page = parent.get("/ville-a/")
    assert page.status_code == 403 and "Portail famille bientôt ouvert" in page.content.decode()
    connection.set_tenant(in_preparation)
    # But the staff sign in and see the setup checklist
    assert sign_in(client, staff.email).status_code == 302
    home = client.get(HOME).content.decode()
    assert "Mise en place du portail" in home and "Ouvrir le portail" in home


def _checklist(client) -> dict[str, bool]:
    items = client.get("/ville-a/api/v1/staff/setup-checklist/").json()["items"]
    return {item["key"]: item["done"] for item in items}


def test_the_checklist_items_flip_as_the_town_is_set_up(in_preparation, staff_client):
    from tenant_apps.billing.tests.factories import TariffFactory
    from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
    from tenant_apps.core.models import TownProfile
    from tenant_apps.messaging.models import TownService
    from tests.support.fixtures import family_create

    before = _checklist(staff_client)
    assert set(before) >= {"services", "tariffs", "messaging", "welcome", "payment", "families", "enrolments",
                           "invitations"}
    assert not any(before[key] for key in ("services", "tariffs", "families", "enrolments", "invitations"))

    service = ServiceFactory(name="Restauration scolaire")
    TariffFactory(service=service)
    TownService.objects.create(name="Service enfance")
    TownProfile.objects.update(welcome_body="Bienvenue !", phone="02 96 00 00 00")
    family = family_create("ALAIN")
    enrol(family.child, service)
    from tenant_apps.accounts.services import access_link_issue

    access_link_issue(user=family.user, purpose="invitation")

    after = _checklist(staff_client)
    assert all(after[key] for key in ("services", "tariffs", "messaging", "welcome", "families", "enrolments",
                                      "invitations"))
    # The staff home shows each item with its link
    home = staff_client.get(HOME).content.decode()
    assert 'data-item="tariffs" data-done="1"' in home and "/ville-a/gestion/facturation/tarifs/" in home


def test_ouvrir_le_portail_lists_the_town_and_lets_parents_sign_in(in_preparation, family, staff, client):
    assert sign_in(client, staff.email).status_code == 302
    # Without the confirmation nothing happens
    refused = client.post("/ville-a/gestion/ouverture/", {})
    assert refused.status_code == 400 and "Cochez la case" in refused.content.decode()
    # With it, the portal opens, and who/when is recorded
    opened = client.post("/ville-a/gestion/ouverture/", {"confirm": "on"}, follow=True)
    assert "Le portail est ouvert" in opened.content.decode()
    connection.set_schema_to_public()
    town = Town.objects.get(slug="ville-a")
    assert town.opened_at is not None and town.opened_by == staff.email
    assert "Ville-A" in Client().get("/").content.decode()
    # And a parent signs in
    parent = Client()
    assert sign_in(parent, family.user.email).status_code == 302
    connection.set_tenant(town)
    assert "Mise en place du portail" not in client.get(HOME).content.decode()


def test_a_new_town_is_in_preparation_and_its_first_admin_gets_a_7_day_invitation(
        db, towns, mailoutbox, run_jobs, django_capture_on_commit_callbacks):
    from provisioning.services import town_create

    start = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            town = town_create(slug="lannion", name="Mairie de Lannion", zone="B", admin_email="dgs@lannion.example")
        connection.set_schema_to_public()
        run_jobs()
    assert town.opened_at is None
    [mail] = mailoutbox
    assert mail.subject == "Invitation au portail famille de la Mairie de Lannion"
    assert "Vous êtes invité à gérer le portail famille de la Mairie de Lannion" in mail.body
    assert "valable 7 jours" in mail.body and "Vous avez demandé" not in mail.body
    token = link_token(mail)
    # Day 8: refused, saying why
    with time_machine.travel(start + dt.timedelta(days=8), tick=False):
        late = Client().get(f"/lannion/mot-de-passe/{token}/")
        assert "valable 7 jours" in late.content.decode()
    # Day 6: the link works
    with time_machine.travel(start + dt.timedelta(days=6), tick=False):
        created = Client().post(f"/lannion/mot-de-passe/{token}/",
                                {"password1": "Cantine-4-Mairie", "password2": "Cantine-4-Mairie"})
        assert created.status_code == 302
    with tenant_context(town):
        from tenant_apps.accounts.models import User

        assert User.objects.get(email="dgs@lannion.example").check_password("Cantine-4-Mairie")
