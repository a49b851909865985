"""Messaging: a family writes to one of the town's services, staff answer, each side keeps its
own unread state, e-mails tell the other side without leaking medical content."""

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from tenant_apps.core.models import TownProfile
from tenant_apps.messaging import errors, services
from tenant_apps.messaging.models import Conversation, Message, TownService
from tenant_apps.messaging.selectors import (
    conversations_for_staff,
    services_with_unread,
    unread_count_of,
)
from tests.support.files import PDF_BYTES, pdf_upload
from tests.support.fixtures import family_create, staff_create

# 24 avr. 2019 09:12 in Lannion (UTC+2)
GUIDE_MOMENT = datetime.datetime(2019, 4, 24, 7, 12, tzinfo=datetime.UTC)


@pytest.fixture
def enfance(town):
    return TownService.objects.create(name="Service enfance", email="enfance@ville-a.example")


def start(household, user, service, *, subject="Attestation", body="Bonjour", **extra):
    return services.conversation_start(household=household, author=user, service=service, subject=subject,
                                       body=body, **extra)


def staff_reply(conversation, staff_user, body="Voici l'attestation"):
    return services.message_post(conversation=conversation, side=Message.Side.TOWN, author=staff_user, body=body)


def test_the_contact_page_shows_the_towns_address_its_services_and_my_conversations(client, family, enfance):
    user, household = family.user, family.household
    TownProfile.objects.update(display_name="Mairie de Démonstration", address_line="1 place de la mairie",
                               postcode="22300", city="Lannion", phone="02 02 02 02 02", fax="01 01 01 01 01",
                               website="https://www.3douest.com")
    TownService.objects.create(name="Fermé", is_active=False)
    start(household, user, enfance, subject="Test")
    client.force_login(user)

    page = client.get("/ville-a/messagerie/").content.decode()

    assert "Par voie postale" in page and "1 place de la mairie – 22300 Lannion" in page
    assert "Tél. : " in page and "02 02 02 02 02" in page and "Fax : 01 01 01 01 01" in page
    assert "https://www.3douest.com" in page
    assert f'href="/ville-a/messagerie/ecrire/{enfance.pk}/"' in page and "Fermé" not in page
    assert "Mes conversations" in page and ">Test<" in page


@time_machine.travel(GUIDE_MOMENT, tick=False)
def test_a_parent_writes_to_a_service_and_sees_the_confirmation_and_the_thread(client, family, enfance):
    user, household = family.user, family.household
    client.force_login(user)

    # When the parent picks the Service enfance and sends a plain-text message (tags typed by hand)
    response = client.post(f"/ville-a/messagerie/ecrire/{enfance.pk}/", {
        "subject": "Attestation",
        "body": "Bonjour Madame, pouvez vous me transmettre une attestation fiscale? Merci.\n"
                "<strong>La maman de Théo</strong><script>alert(1)</script>",
    }, follow=True)

    # Then a confirmation is shown on the conversation, with "Moi" and the town's local time
    page = response.content.decode()
    assert "Votre message a bien été envoyé au Service enfance." in page
    assert "Merci.<br>&lt;strong&gt;La maman de Théo&lt;/strong&gt;&lt;script&gt;alert(1)" in page  # as typed
    assert "<strong>La maman" not in page and "<script>alert" not in page
    assert "24 avr. 2019 09:12" in page
    assert re.search(r'class="message-author">Moi<', page)
    assert "Retour à la liste des messages" in page
    conversation = Conversation.objects.get()
    assert (conversation.household, conversation.service, conversation.subject) == (household, enfance, "Attestation")


def test_a_stored_body_that_escaped_sanitising_is_shown_safe_to_both_sides(client, family, enfance):
    # Given a message whose stored body is unsafe (written before sanitising, or by a script)
    user, household = family.user, family.household
    conversation = start(household, user, enfance, subject="Ancien message")
    Message.objects.filter(conversation=conversation).update(
        body='<p onclick="steal()">Bonjour <strong>Madame</strong></p><script>alert(1)</script>'
             '<a href="javascript:steal()">lien</a>')

    # Then the parent's and the staff's thread show the text and its safe formatting, never the script
    client.force_login(user)
    parent_page = client.get(f"/ville-a/messagerie/conversations/{conversation.pk}/").content.decode()
    client.force_login(staff_create())
    staff_page = client.get(f"/ville-a/gestion/messagerie/conversations/{conversation.pk}/").content.decode()
    for page in (parent_page, staff_page):
        assert "<p>Bonjour <strong>Madame</strong></p>" in page
        assert "alert(1)" not in page and "steal()" not in page and "onclick" not in page


def test_a_missing_subject_or_an_empty_message_is_explained_and_nothing_is_lost(client, family, enfance):
    client.force_login(family.user)
    page = client.post(f"/ville-a/messagerie/ecrire/{enfance.pk}/", {"subject": "", "body": "Mon texte"}).content.decode()
    assert "Ce champ est obligatoire." in page and "Mon texte" in page
    with pytest.raises(errors.EmptyMessage):
        start(family.household, family.user, enfance, subject="Objet", body=" \n \n ")
    assert not Conversation.objects.exists()


def test_unread_state_is_kept_for_each_side(client, family, enfance):
    user, household = family.user, family.household
    agent = staff_create()
    # Given the parent wrote: unread for staff, not for the parent who wrote it
    conversation = start(household, user, enfance)
    assert unread_count_of(household) == 0
    assert services_with_unread().get(pk=enfance.pk).unread == 1

    # When staff open the conversation
    client.force_login(agent)
    staff_inbox = client.get(f"/ville-a/gestion/messagerie/?service={enfance.pk}").content.decode()
    assert "1 non lu" in staff_inbox
    client.get(f"/ville-a/gestion/messagerie/conversations/{conversation.pk}/")
    # Then it is read for staff, and their answer is unread for the family
    assert services_with_unread().get(pk=enfance.pk).unread == 0
    staff_reply(conversation, agent)
    staff_reply(conversation, agent, "Autre chose")
    assert unread_count_of(household) == 2
    assert conversations_for_staff().get(pk=conversation.pk).unread == 0

    # When the parent opens it, it is read for them too
    client.force_login(user)
    assert "2 non lus" in client.get("/ville-a/messagerie/").content.decode()
    client.get(f"/ville-a/messagerie/conversations/{conversation.pk}/")
    assert unread_count_of(household) == 0
    assert Message.objects.filter(side=Message.Side.TOWN, read_at__isnull=True).count() == 0


def test_staff_reply_from_their_inbox_and_close_the_conversation(client, family, enfance):
    user, household = family.user, family.household
    conversation = start(household, user, enfance)
    client.force_login(staff_create())
    response = client.post(f"/ville-a/gestion/messagerie/conversations/{conversation.pk}/",
                                {"body": "Pour les trois enfants bien sûr"}, follow=True)
    assert "Réponse envoyée à la famille." in response.content.decode()
    client.post(f"/ville-a/gestion/messagerie/conversations/{conversation.pk}/cloturer/")
    conversation.refresh_from_db()
    assert conversation.is_closed

    # The family sees the answer signed by the service and cannot reply any more
    client.force_login(user)
    page = client.get(f"/ville-a/messagerie/conversations/{conversation.pk}/").content.decode()
    assert "Pour les trois enfants bien sûr" in page and 'class="message-author">Service enfance<' in page
    assert "Cette conversation a été clôturée" in page
    with pytest.raises(errors.ConversationClosed):
        services.message_post(conversation=conversation, side=Message.Side.FAMILY, author=user, body="Encore")


def test_parents_only_see_their_own_households_conversations(client, family, enfance):
    other = family_create("BERNARD", children=("Léa",), first_name="Luc")
    other_user, other = other.user, other.household
    theirs = start(other, other_user, enfance, subject="Privé", attachment=pdf_upload())
    attachment = theirs.messages.get()
    client.force_login(family.user)

    assert client.get(f"/ville-a/messagerie/conversations/{theirs.pk}/").status_code == 404
    assert client.post(f"/ville-a/messagerie/conversations/{theirs.pk}/", {"body": "intrus"}).status_code == 404
    assert client.get(f"/ville-a/messagerie/pieces-jointes/{attachment.pk}/").status_code == 404
    assert client.get(f"/ville-a/api/v1/conversations/{theirs.pk}/").status_code == 404
    assert client.post(f"/ville-a/api/v1/conversations/{theirs.pk}/read/").status_code == 404
    assert "Privé" not in client.get("/ville-a/messagerie/").content.decode()
    assert client.get("/ville-a/api/v1/conversations/").json() == []
    assert theirs.messages.count() == 1


def test_parents_cannot_open_the_staff_inbox(client, family, enfance):
    client.force_login(family.user)
    response = client.get("/ville-a/gestion/messagerie/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_staff_only_see_their_own_towns_conversations(client, enfance, town_b):
    # Given a conversation in town B
    with tenant_context(town_b):
        durand = family_create("DURAND", children=())
        service_b = TownService.objects.create(name="Service enfance de B")
        theirs = start(durand.household, durand.user, service_b, subject="Secret de B")

    # When staff of town A look for it
    client.force_login(staff_create())
    inbox = client.get("/ville-a/gestion/messagerie/?statut=all").content.decode()

    # Then town A's screens know nothing of it
    assert "Secret de B" not in inbox
    assert client.get(f"/ville-a/gestion/messagerie/conversations/{theirs.pk}/").status_code == 404


def test_an_attachment_is_checked_and_served_only_to_the_household(client, family, enfance):
    user = family.user
    client.force_login(user)
    refused = client.post(f"/ville-a/messagerie/ecrire/{enfance.pk}/", {
        "subject": "Certificat", "body": "Ci-joint",
        "attachment": SimpleUploadedFile("certificat.pdf", b"MZ\x90\x00 not a pdf"),
    })
    assert "Type de fichier non accepté" in refused.content.decode()
    client.post(f"/ville-a/messagerie/ecrire/{enfance.pk}/", {
        "subject": "Certificat", "body": "Ci-joint", "attachment": pdf_upload("certificat.pdf"),
    })
    message = Message.objects.get()
    assert message.attachment.name.startswith("messages/") and message.attachment_name == "certificat.pdf"
    response = client.get(f"/ville-a/messagerie/pieces-jointes/{message.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    client.force_login(staff_create())
    assert client.get(f"/ville-a/gestion/messagerie/pieces-jointes/{message.pk}/").status_code == 200


def test_new_messages_are_mailed_to_the_other_side_by_the_worker(family, enfance, run_jobs, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    user, household = family.user, family.household
    agent = staff_create()
    # When the parent writes: the service's address is told, with the text
    with django_capture_on_commit_callbacks(execute=True):
        conversation = start(household, user, enfance, subject="Cantine", body="Théo mange\nsans porc")
    assert mailoutbox == []  # nothing is sent by the web request itself
    assert run_jobs()["processed"] == 1
    [to_staff] = mailoutbox
    assert to_staff.to == ["enfance@ville-a.example"]
    assert "Théo mange\nsans porc" in to_staff.body
    assert f"/ville-a/gestion/messagerie/conversations/{conversation.pk}/" in to_staff.body

    # When staff answer: the family is told, with a link to the conversation
    with django_capture_on_commit_callbacks(execute=True):
        staff_reply(conversation, agent, "C'est noté.")
    run_jobs()
    to_family = mailoutbox[1]
    assert to_family.to == [user.email]
    assert "Cantine" in to_family.subject and "C'est noté." in to_family.body
    assert f"http://testserver/ville-a/messagerie/conversations/{conversation.pk}/" in to_family.body


@pytest.mark.parametrize("medical_by", ["conversation", "service"])
def test_the_parents_email_never_carries_a_medical_message(family, enfance, run_jobs, mailoutbox, medical_by,
                                                          django_capture_on_commit_callbacks):
    user, household = family.user, family.household
    if medical_by == "service":
        enfance.is_sensitive = True
        enfance.save()
    conversation = start(household, user, enfance, subject="PAI de Théo", body="Allergie",
                         is_medical=medical_by == "conversation")
    with django_capture_on_commit_callbacks(execute=True):
        staff_reply(conversation, staff_create(), "Traitement : adrénaline 0,3 mg en cas de réaction")
    run_jobs()

    [to_family] = [mail for mail in mailoutbox if mail.to == [user.email]]
    html = to_family.alternatives[0][0]
    for text in (to_family.subject, to_family.body, html):
        assert "adrénaline" not in text and "PAI de Théo" not in text
    assert f"/ville-a/messagerie/conversations/{conversation.pk}/" in to_family.body
    assert "connectez-vous au portail" in to_family.body


def test_without_a_service_address_every_active_gestionnaire_is_told(family, run_jobs, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    user, household = family.user, family.household
    staff_create("a@ville-a.example")
    staff_create("b@ville-a.example")
    service = TownService.objects.create(name="Restauration scolaire")
    with django_capture_on_commit_callbacks(execute=True):
        start(household, user, service)
    run_jobs()
    assert sorted(mail.to[0] for mail in mailoutbox) == ["a@ville-a.example", "b@ville-a.example"]


def test_the_api_lists_creates_replies_and_marks_read_with_the_same_rules(client, family, enfance):
    user = family.user
    client.force_login(user)
    assert client.get("/ville-a/api/v1/messaging/services/").json() == [
        {"id": enfance.pk, "name": "Service enfance", "description": ""}
    ]
    created = client.post("/ville-a/api/v1/conversations/", {
        "service": enfance.pk, "subject": "Attestation", "body": '<a href="javascript:x()">clic</a> Bonjour',
    }, content_type="application/json")
    assert created.status_code == 201
    conversation_id = created.json()["id"]
    assert created.json()["messages"][0]["body_html"] == '&lt;a href="javascript:x()"&gt;clic&lt;/a&gt; Bonjour'

    refused = client.post("/ville-a/api/v1/conversations/", {"service": enfance.pk, "subject": " ", "body": "x"},
                               content_type="application/json")
    assert refused.status_code == 400

    reply = client.post(f"/ville-a/api/v1/conversations/{conversation_id}/reply/", {"body": "Pour les trois enfants"},
                             content_type="application/json")
    assert [m["is_mine"] for m in reply.json()["messages"]] == [True, True]

    staff_reply(Conversation.objects.get(pk=conversation_id), staff_create())
    listed = client.get("/ville-a/api/v1/conversations/").json()
    assert listed[0]["unread"] == 1
    assert client.post(f"/ville-a/api/v1/conversations/{conversation_id}/read/").json() == {"marked": 1}
    assert client.get("/ville-a/api/v1/conversations/").json()[0]["unread"] == 0

    services.conversation_close(conversation=Conversation.objects.get(pk=conversation_id), by=None)
    closed = client.post(f"/ville-a/api/v1/conversations/{conversation_id}/reply/", {"body": "Encore"},
                              content_type="application/json")
    assert closed.status_code == 400 and closed.json()["code"] == "conversation_closed"


def test_the_openapi_schema_documents_the_dashboard_documents_and_conversations(client, family):
    client.force_login(family.user)
    schema = client.get("/ville-a/api/v1/schema/").content.decode()
    for path in ("/api/v1/dashboard/", "/api/v1/documents/", "/api/v1/documents/{id}/download/",
                 "/api/v1/conversations/", "/api/v1/conversations/{id}/reply/", "/api/v1/conversations/{id}/read/"):
        assert f"{path}:" in schema


def test_staff_manage_the_services_parents_can_write_to(client, staff):
    client.force_login(staff)
    client.post("/ville-a/gestion/messagerie/services/", {"name": "Restauration scolaire", "position": 1,
                                                        "is_active": "on"})
    service = TownService.objects.get()
    client.post(f"/ville-a/gestion/messagerie/services/{service.pk}/", {
        "name": "Restauration scolaire", "email": "cantine@ville-a.example", "position": 1, "is_sensitive": "on",
    })
    service.refresh_from_db()
    assert (service.email, service.is_sensitive, service.is_active) == ("cantine@ville-a.example", True, False)
