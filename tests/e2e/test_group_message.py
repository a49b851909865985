"""Staff write first: a gestionnaire sends a message to the families enrolled in the canteen,
follows the send's progress, and a parent replies privately from the e-mail's link (the double
submit is covered in tenant_apps/messaging/tests/test_staff_write_first.py)."""

import re

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

pytestmark = pytest.mark.e2e

PASSWORD = "Tartine-2-Confiture"


def sign_in(page, base_url, email, lands_on="/"):
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}{lands_on}")


def seed(town):
    from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
    from tenant_apps.messaging.models import TownService
    from tests.support.fixtures import family_create, staff_create

    with tenant_context(town):
        TownService.objects.create(name="Restauration scolaire", email="cantine@testville.example")
        canteen = ServiceFactory(name="Cantine")
        alain = family_create("ALAIN", children=("Théo",), email="maman.theo@example.org")
        family_create("BERNARD", first_name="Paul", children=("Léo",), email="paul@example.org")
        enrol(alain.child, canteen)
        staff_create("agent@testville.example")
    connection.set_schema_to_public()


def drain(run_jobs):
    while run_jobs()["processed"]:
        pass
    connection.set_schema_to_public()


def test_staff_send_a_group_message_and_a_parent_replies(live_town, page, browser, smtp_capture, run_jobs):
    town, base_url = live_town
    seed(town)
    staff_context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(10_000)
    try:
        # Given a gestionnaire on the group message screen
        sign_in(staff_page, base_url, "agent@testville.example", lands_on="/gestion/")
        staff_page.goto(f"{base_url}/gestion/messagerie/envois-groupes/")

        # When they write to the families enrolled in the canteen
        staff_page.get_by_label("Familles inscrites à des prestations").check()
        staff_page.get_by_label("Cantine", exact=True).check()
        staff_page.get_by_label("Objet du message").fill("Grève vendredi")
        staff_page.locator("#id_body").fill("Pas de cantine vendredi.\nPrévoyez un pique-nique.")
        staff_page.get_by_role("button", name="Envoyer à ces familles").click()
        assert staff_page.get_by_text("Message en cours d'envoi à 1 foyer.").is_visible()

        # Then, once the job ran, the send's page shows its count
        drain(run_jobs)
        staff_page.reload()
        assert staff_page.get_by_text("1 foyer sur 1 servi").is_visible()
        assert staff_page.get_by_text("Familles inscrites à : Cantine").is_visible()
    finally:
        staff_context.close()

    # The ALAIN family only got one e-mail, with the link to its conversation
    assert [m["To"] for m in smtp_capture.messages] == ["maman.theo@example.org"]
    link = re.search(r"https?://\S+/messagerie/conversations/\d+/", smtp_capture.bodies()[0]).group(0)

    # When the parent signs in, opens the message and replies
    sign_in(page, base_url, "maman.theo@example.org")
    page.goto(base_url + link[link.index("/messagerie/"):])
    assert page.locator(".message-body").first.inner_text() == "Pas de cantine vendredi.\nPrévoyez un pique-nique."
    page.get_by_label("Votre réponse").fill("Bien noté, merci.")
    page.get_by_role("button", name="Envoyer").click()
    assert page.get_by_text("Votre message a bien été envoyé.").is_visible()

    # Then the reply is mailed to the canteen's address (BERNARD was never written to)
    drain(run_jobs)
    assert sorted(m["To"] for m in smtp_capture.messages) == ["cantine@testville.example", "maman.theo@example.org"]
