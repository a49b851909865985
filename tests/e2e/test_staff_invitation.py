"""A town's first staff member follows the e-mailed invitation, creates a password and signs in."""

import re

import pytest
from django_tenants.utils import tenant_context

pytestmark = pytest.mark.e2e


def test_invited_staff_creates_a_password_from_the_email_and_signs_in(live_town, page, smtp_capture, run_jobs):
    town, base_url = live_town
    from django.db import transaction

    from tenant_apps.accounts.services import staff_invite

    # Given the operator invited the town's first gestionnaire
    with tenant_context(town), transaction.atomic():
        staff_invite(email="dgs@testville.example")
    run_jobs()

    # When they open the link from the e-mail and create a password
    [body] = smtp_capture.bodies()
    link = re.search(r"https?://\S+/mot-de-passe/\S+/", body).group(0)
    link = link.replace("http://testserver", base_url.rsplit("/", 1)[0])
    page.goto(link)
    page.get_by_label("Nouveau mot de passe").fill("Tartine-2-Confiture")
    page.get_by_label("Confirmer le mot de passe").fill("Tartine-2-Confiture")
    page.get_by_role("button", name="Valider").click()

    # Then they land on the login page with a confirmation, and can sign in
    page.wait_for_url(f"{base_url}/connexion/")
    assert "Votre mot de passe a été créé" in page.content()
    page.get_by_label("Email").fill("dgs@testville.example")
    page.get_by_label("Mot de passe").fill("Tartine-2-Confiture")
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}/gestion/")
    assert page.get_by_role("heading", name="Tableau de bord").is_visible()
