"""Town staff (gestionnaires): invited by e-mail, from `create_town --admin-email` or by a colleague."""

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from tenant_apps.accounts import errors, services
from tenant_apps.accounts.models import User

from .factories import PASSWORD
from .links import link_token

TEAM = "/ville-a/gestion/equipe/"


def sign_in(client, email):
    assert client.post("/ville-a/connexion/", {"username": email, "password": PASSWORD}).status_code == 302


def test_a_parent_cannot_open_the_staff_pages_nor_invite(client, parent, town, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    sign_in(client, "marie.alain@exemple.fr")

    page = client.get(TEAM)
    assert page.status_code == 302
    assert page["Location"].startswith("/ville-a/connexion/")
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(TEAM, {"email": "complice@exemple.fr"})
    assert refused.status_code == 302
    assert not User.objects.filter(email="complice@exemple.fr").exists()
    assert mailoutbox == []


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, town):
    response = client.get(TEAM)
    assert response.status_code == 302
    assert response["Location"] == f"/ville-a/connexion/?next={TEAM}"


def test_staff_invite_a_colleague_who_gets_the_email_and_creates_a_password(
        client, staff, town, mailoutbox, run_jobs, django_capture_on_commit_callbacks):
    sign_in(client, "agent@mairie.fr")

    # When a gestionnaire invites a colleague
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(TEAM, {"email": "Collegue@Mairie.fr", "first_name": "Lou", "last_name": "Bernard"},
                               follow=True)
    run_jobs()

    # Then the page confirms, and lists the colleague as pending
    body = response.content.decode()
    assert "Invitation envoyée à Collegue@Mairie.fr" in body
    assert "collegue@mairie.fr" in body and "invitation en attente" in body
    # And the colleague receives the invitation
    [message] = mailoutbox
    assert message.to == ["collegue@mairie.fr"]
    assert message.subject == "Invitation au portail famille de la Mairie de Ville-A"
    assert "Bonjour Lou" in message.body
    # And creates a password with it, as a gestionnaire
    token = link_token(message)
    client.post("/ville-a/deconnexion/")
    created = client.post(f"/ville-a/mot-de-passe/{token}/",
                          {"password1": "Cantine-4-Mairie", "password2": "Cantine-4-Mairie"})
    assert created.status_code == 302
    colleague = User.objects.get(email="collegue@mairie.fr")
    assert colleague.is_staff and colleague.check_password("Cantine-4-Mairie")


def test_inviting_an_existing_address_is_refused_with_a_french_message(client, staff, parent, mailoutbox):
    sign_in(client, "agent@mairie.fr")
    response = client.post(TEAM, {"email": "marie.alain@exemple.fr"})
    assert response.status_code == 400
    assert "Un compte utilise déjà cette adresse e-mail." in response.content.decode()


def test_create_town_with_an_admin_email_invites_the_first_gestionnaire(db, towns, mailoutbox, run_jobs,
                                                                       django_capture_on_commit_callbacks):
    from provisioning.services import town_create

    # Given the operator creates a town with its first gestionnaire's address
    with django_capture_on_commit_callbacks(execute=True):
        town = town_create(slug="ville-c", name="Mairie de Ville-C", zone="A", admin_email="dgs@ville-c.fr")
    connection.set_schema_to_public()
    run_jobs()

    # Then the gestionnaire receives an invitation to that town
    [message] = mailoutbox
    assert message.to == ["dgs@ville-c.fr"]
    assert "/ville-c/mot-de-passe/" in message.body
    with tenant_context(town):
        assert User.objects.get(email="dgs@ville-c.fr").is_staff


@pytest.mark.parametrize("email", ["agent@mairie.fr", "AGENT@mairie.fr"])
def test_a_guardian_account_cannot_take_a_staff_address(staff, town, email):
    with pytest.raises(errors.EmailTaken):
        services.account_for_guardian(email=email, first_name="A", last_name="B")
