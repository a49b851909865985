"""Accounts in the town's admin: a gestionnaire (superuser here) finds an account and sends it a link."""

import re

from tenant_apps.accounts.models import User
from tests.support.fixtures import TownClient

from .factories import PASSWORD


def test_staff_search_accounts_and_send_a_password_link(client, newcomer, town, mailoutbox, run_jobs,
                                                        django_capture_on_commit_callbacks):
    User.objects.create_superuser("chef@mairie.fr", PASSWORD)
    client.post("/ville-a/connexion/", {"username": "chef@mairie.fr", "password": PASSWORD})

    listing = client.get("/ville-a/gestion/admin/accounts/user/?q=nouveau")
    assert listing.status_code == 200
    rows = re.findall(r'class="field-email"><a [^>]*>([^<]+)</a>', listing.content.decode())
    assert rows == ["nouveau@exemple.fr"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ville-a/gestion/admin/accounts/user/",
                               {"action": "send_password_link", "_selected_action": [newcomer.pk]})
    run_jobs()
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["nouveau@exemple.fr"]]


def test_a_gestionnaires_login_changes_through_the_admin_only_once_the_new_address_confirms(
        client, staff, town, mailoutbox, run_jobs, django_capture_on_commit_callbacks):
    from tenant_apps.accounts.models import EmailChangeRequest

    User.objects.create_superuser("chef@mairie.fr", PASSWORD)
    client.post("/ville-a/connexion/", {"username": "chef@mairie.fr", "password": PASSWORD})

    # When the chief asks for a colleague's new login address
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ville-a/gestion/admin/accounts/user/{staff.pk}/change/", {
            "new_email": "Agent.Nouveau@Mairie.fr", "first_name": "", "last_name": "", "is_active": "on",
            "is_staff": "on"})
    assert response.status_code == 302
    run_jobs()
    # Then nothing changes until the new address confirms
    assert User.objects.get(pk=staff.pk).email == "agent@mairie.fr"
    [mail] = mailoutbox
    assert mail.to == ["agent.nouveau@mairie.fr"]
    path = re.search(r"https?://\S+?(/ville-a/adresse-email/[\w-]+/)", mail.body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        assert TownClient().post(path).status_code == 302
    run_jobs()
    assert User.objects.get(pk=staff.pk).email == "agent.nouveau@mairie.fr"
    change = EmailChangeRequest.objects.get()
    assert change.requested_by.email == "chef@mairie.fr" and change.confirmed_at is not None
    assert mailoutbox[-1].to == ["agent@mairie.fr"]

    # And the record of login changes is in the admin, read only
    listing = client.get("/ville-a/gestion/admin/accounts/emailchangerequest/")
    assert listing.status_code == 200 and "agent.nouveau@mairie.fr" in listing.content.decode()


def test_the_admin_refuses_a_new_login_address_already_used(client, staff, parent, town):
    User.objects.create_superuser("chef@mairie.fr", PASSWORD)
    client.post("/ville-a/connexion/", {"username": "chef@mairie.fr", "password": PASSWORD})
    response = client.post(f"/ville-a/gestion/admin/accounts/user/{staff.pk}/change/", {
        "new_email": "marie.alain@exemple.fr", "first_name": "", "last_name": "", "is_active": "on", "is_staff": "on"})
    assert response.status_code == 200
    assert "Un compte utilise déjà cette adresse e-mail." in response.content.decode()
