"""Accounts in the town's admin: a gestionnaire (superuser here) finds an account and sends it a link."""

import re

from django_tenants.utils import tenant_context

from tenant_apps.accounts.models import User

from .factories import PASSWORD


def test_staff_search_accounts_and_send_a_password_link(client, newcomer, town_a, mailoutbox, run_jobs,
                                                        django_capture_on_commit_callbacks):
    with tenant_context(town_a):
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
