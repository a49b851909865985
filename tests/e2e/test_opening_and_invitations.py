"""A new town's staff invite the families in bulk, open the portal, and a parent sets a password
from the invitation e-mail and signs in."""

import re

import pytest
from django.db import transaction
from django_tenants.utils import tenant_context

pytestmark = pytest.mark.e2e

PASSWORD = "Tartine-2-Confiture"


def test_bulk_invitation_opening_and_a_parent_who_sets_a_password(live_town, page, smtp_capture, run_jobs):
    town, base_url = live_town
    from tenant_apps.accounts.tests.factories import StaffFactory, UserFactory
    from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory, HouseholdFactory
    from tenants.models import Town
    from tenants.routing import forget_local, forget_slugs

    # Given a town still "en préparation", its gestionnaire and an imported family without password
    Town.objects.filter(pk=town.pk).update(opened_at=None, opened_by="")
    forget_slugs(town.slug)
    forget_local()
    with tenant_context(town), transaction.atomic():
        StaffFactory(email="dgs@testville.example", password=PASSWORD)
        household = HouseholdFactory(name="PINS")
        user = UserFactory(email="lea.pins@exemple.fr", first_name="Léa", last_name="PINS")
        GuardianFactory(household=household, user=user, first_name="Léa", last_name="PINS",
                        email="lea.pins@exemple.fr")
        ChildFactory(household=household, first_name="Zoé")

    # When the gestionnaire signs in: the setup checklist is on the home page
    page.goto(f"{base_url}/connexion/")
    assert "bientôt ouvert aux familles" in page.content()
    page.get_by_label("Email").fill("dgs@testville.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}/gestion/")
    assert page.get_by_role("heading", name="Mise en place du portail").is_visible()

    # And sends the invitations to every guardian without a password
    page.get_by_role("link", name="Inviter les familles").first.click()
    page.wait_for_url(f"{base_url}/gestion/invitations/")
    assert "1 responsable n'a pas encore créé son mot de passe" in page.content()
    page.get_by_role("button", name="Envoyer les invitations").click()
    page.wait_for_url(re.compile(r".*/gestion/invitations/\d+/$"))
    run_jobs()
    page.wait_for_selector("[data-status=done]", timeout=10_000)  # the progress refreshes by itself
    assert "Invitations envoyées : 1 / 1" in page.content()

    # And opens the portal
    page.goto(f"{base_url}/gestion/ouverture/")
    page.get_by_label("J'ai vérifié la liste de mise en place").check()
    page.get_by_role("button", name="Ouvrir le portail").click()
    page.wait_for_url(f"{base_url}/gestion/")
    assert "Le portail est ouvert" in page.content()
    page.get_by_role("button", name=re.compile("Déconnexion|Se déconnecter")).first.click()

    # Then the parent creates a password from the invitation e-mail and signs in
    [body] = [b for b in smtp_capture.bodies() if "lea.pins@exemple.fr" in b]
    assert "Vous êtes invité à utiliser le portail famille de la Mairie de Testville" in body
    link = re.search(r"https?://\S+/mot-de-passe/\S+/", body).group(0)
    page.goto(link.replace("http://testserver", base_url.rsplit("/", 1)[0]))
    page.get_by_label("Nouveau mot de passe").fill(PASSWORD)
    page.get_by_label("Confirmer le mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}/connexion/")
    page.get_by_label("Email").fill("lea.pins@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}/")
    assert "bientôt ouvert" not in page.content()
