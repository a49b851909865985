"""A parent writes to the Service enfance from the portal; a gestionnaire answers from the
staff inbox in another browser; the parent reads the answer (two browser contexts)."""

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
    from tenant_apps.messaging.models import TownService
    from tests.support.fixtures import family_create, staff_create

    with tenant_context(town):
        TownService.objects.create(name="Service enfance", email="enfance@testville.example")
        family_create("ALAIN", children=("Théo", "Anna"), email="maman.theo@example.org")
        staff_create("agent@testville.example")
    connection.set_schema_to_public()


def test_a_parent_writes_to_the_service_enfance_and_staff_answer(live_town, page, browser, smtp_capture, run_jobs):
    town, base_url = live_town
    seed(town)

    # Given the parent signed in and opened the Messagerie from the main navigation
    sign_in(page, base_url, "maman.theo@example.org")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Messagerie").click()
    page.get_by_role("link", name="Service enfance").click()

    # When they write a subject and a plain-text message on two lines (no formatting buttons), and send it
    assert page.get_by_role("button", name="Gras").count() == 0
    page.get_by_label("Objet du message").fill("Attestation")
    page.get_by_label("Votre message").fill(
        "Bonjour Madame, pouvez vous me transmettre une attestation fiscale? Merci.\n<b>La maman de Théo</b>")
    page.get_by_role("button", name="Envoyer").click()

    # Then they see a confirmation and their message, signed "Moi"
    assert page.get_by_text("Votre message a bien été envoyé au Service enfance.").is_visible()
    thread = page.get_by_role("list", name="Messages de la conversation")
    assert thread.locator(".message-body br").count() == 1
    assert thread.get_by_text("<b>La maman de Théo</b>").is_visible()  # shown as typed
    assert thread.locator(".message-author").inner_text() == "Moi"

    # When a gestionnaire, in another browser, opens the Service enfance inbox and answers
    staff_context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(10_000)
    try:
        sign_in(staff_page, base_url, "agent@testville.example", lands_on="/gestion/")
        staff_page.goto(f"{base_url}/gestion/messagerie/")
        staff_page.get_by_role("link", name="Service enfance 1 non lu").click()
        staff_page.get_by_role("link", name="Attestation").click()
        assert staff_page.get_by_text("pouvez vous me transmettre une attestation fiscale?").is_visible()
        staff_page.get_by_label("Votre réponse").fill("Pour les trois enfants bien sûr, je vous l'envoie.")
        staff_page.get_by_role("button", name="Répondre").click()
        assert staff_page.get_by_text("Réponse envoyée à la famille.").is_visible()
    finally:
        staff_context.close()

    # Then the parent's dashboard shows one unread message, and the answer is signed by the service
    page.goto(f"{base_url}/")
    assert page.locator('[data-counter="messages"]').inner_text().startswith("1")
    page.get_by_role("link", name="Mes messages").click()
    page.get_by_role("link", name="Attestation").click()
    answer = page.locator(".thread-message.from-town")
    assert "Pour les trois enfants bien sûr" in answer.inner_text()
    assert answer.locator(".message-author").inner_text() == "Service enfance"
    page.get_by_role("link", name="Retour à la liste des messages").click()
    page.wait_for_url(f"{base_url}/messagerie/")

    # and the worker e-mailed both sides
    run_jobs()
    connection.set_schema_to_public()
    recipients = sorted(message["To"] for message in smtp_capture.messages)
    assert recipients == ["enfance@testville.example", "maman.theo@example.org"]
