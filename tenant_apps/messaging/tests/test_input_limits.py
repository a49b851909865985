"""Messaging under hostile or careless input (issue 10): subjects stay on one line so staff are
always told, bodies have a size limit enforced by the service, attachments are kept and served
under a safe name with the extension of their real type."""

import pytest

from tenant_apps.core.text import MESSAGE_BODY_MAX_CHARS, TextTooLong
from tenant_apps.messaging import services
from tenant_apps.messaging.models import Conversation, Message, TownService
from tests.support.files import PDF_BYTES, pdf_upload
from tests.support.fixtures import staff_create


@pytest.fixture
def enfance(town):
    return TownService.objects.create(name="Service enfance", email="enfance@ville-a.example")


# --- A line break in a subject -------------------------------------------------------------------------


def test_a_subject_with_a_line_break_is_put_on_one_line_and_staff_are_told(
    client, family, enfance, run_jobs, mailoutbox, django_capture_on_commit_callbacks
):
    user = family.user
    client.force_login(user)
    # When a parent's client sends a subject with a line break (and a header after it)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ville-a/api/v1/conversations/", {
            "service": enfance.pk, "subject": "Cantine\r\nBcc: pirate@example.org", "body": "Bonjour",
        }, content_type="application/json")
    assert response.status_code == 201
    # Then the subject is kept on one line
    assert Conversation.objects.get().subject == "Cantine Bcc: pirate@example.org"
    # And the notification reaches the service, and only it (it used to fail: BadHeaderError)
    assert run_jobs()["processed"] == 1
    [mail] = mailoutbox
    assert mail.to == ["enfance@ville-a.example"] and mail.bcc == []
    assert mail.subject == "Portail famille – nouveau message pour Service enfance : Cantine Bcc: pirate@example.org"


def test_a_conversation_stored_with_a_line_break_still_notifies(
    family, enfance, run_jobs, mailoutbox, django_capture_on_commit_callbacks
):
    # Given a conversation whose subject was stored with a line break before the fix
    user, household = family.user, family.household
    conversation = services.conversation_start(household=household, author=user, service=enfance,
                                               subject="Cantine", body="Bonjour")
    Conversation.objects.filter(pk=conversation.pk).update(subject="Cantine\nde Théo")
    run_jobs()
    mailoutbox.clear()
    # When staff reply
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(conversation=Conversation.objects.get(), side=Message.Side.TOWN,
                              author=staff_create(), body="C'est noté.")
    run_jobs()
    # Then the family is told all the same
    [mail] = mailoutbox
    assert mail.to == [user.email] and mail.subject.endswith("Cantine de Théo")


def test_a_service_name_with_a_line_break_is_saved_on_one_line(town):
    service = services.town_service_save(name="Restauration\r\nscolaire", email="resto@ville-a.example")
    assert service.name == "Restauration scolaire"


# --- Size limits ------------------------------------------------------------------------------------------


def test_a_9_mb_message_is_refused_and_nothing_is_sent(client, family, enfance, run_jobs, mailoutbox):
    client.force_login(family.user)
    # When a parent's client posts a 9 MB message
    response = client.post("/ville-a/api/v1/conversations/", {
        "service": enfance.pk, "subject": "Cantine", "body": "x" * (9 * 1024 * 1024),
    }, content_type="application/json")
    # Then it is refused before it is read, in the API's error shape; nothing is stored or e-mailed
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"
    assert not Conversation.objects.exists()
    run_jobs()
    assert mailoutbox == []


def test_a_body_over_the_limit_is_explained_on_the_page_and_in_the_api(client, family, enfance):
    user = family.user
    client.force_login(user)
    too_long = "x" * (MESSAGE_BODY_MAX_CHARS + 1)
    # The page explains it in French and keeps what was typed
    page = client.post(f"/ville-a/messagerie/ecrire/{enfance.pk}/", {"subject": "Cantine", "body": too_long})
    assert "au plus 10000 caractères" in page.content.decode()
    # The API names the field
    answer = client.post("/ville-a/api/v1/conversations/", {"service": enfance.pk, "subject": "Cantine",
                                                          "body": too_long}, content_type="application/json")
    assert answer.status_code == 400 and list(answer.json()["errors"]) == ["body"]
    assert not Conversation.objects.exists()
    # And a message of exactly the limit goes through
    exact = client.post("/ville-a/api/v1/conversations/", {"service": enfance.pk, "subject": "Cantine",
                                                         "body": "x" * MESSAGE_BODY_MAX_CHARS},
                             content_type="application/json")
    assert exact.status_code == 201


def test_the_service_enforces_the_limits_whoever_calls_it(family, enfance):
    user, household = family.user, family.household
    conversation = services.conversation_start(household=household, author=user, service=enfance,
                                               subject="Cantine", body="Bonjour")
    # A staff reply over the limit: a domain error with a stable code, naming the field
    with pytest.raises(TextTooLong) as refused:
        services.message_post(conversation=conversation, side=Message.Side.TOWN, author=staff_create(),
                              body="x" * (MESSAGE_BODY_MAX_CHARS + 1))
    assert refused.value.code == "message_too_long" and list(refused.value.errors) == ["body"]
    # A subject over 200 characters is refused, not cut silently
    with pytest.raises(TextTooLong) as refused:
        services.conversation_start(household=household, author=user, service=enfance, subject="S" * 201,
                                    body="Bonjour")
    assert refused.value.code == "subject_too_long"
    assert Message.objects.count() == 1 and Conversation.objects.count() == 1


def test_the_api_answers_a_service_limit_in_its_error_shape(client, family, enfance, monkeypatch):
    # Whatever the serializer lets through, the service's refusal is a 400 with its code
    client.force_login(family.user)
    monkeypatch.setattr(services, "MESSAGE_BODY_MAX_CHARS", 5)
    answer = client.post("/ville-a/api/v1/conversations/", {"service": enfance.pk, "subject": "Cantine",
                                                          "body": "Bonjour"}, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json() == {"code": "message_too_long", "detail": "Ce texte dépasse 5 caractères.",
                             "errors": {"body": ["Ce texte dépasse 5 caractères."]}}


# --- Attachments ------------------------------------------------------------------------------------------


def test_an_attachment_is_kept_and_served_with_the_extension_of_its_real_type(client, family, enfance):
    user = family.user
    client.force_login(user)
    # When a parent attaches a PDF named like a web page
    client.post(f"/ville-a/messagerie/ecrire/{enfance.pk}/", {
        "subject": "Certificat", "body": "Ci-joint", "attachment": pdf_upload("../certificat médical.html"),
    })
    message = Message.objects.get()
    # Then it is kept as a PDF, under a safe name
    assert message.attachment.name.endswith(".pdf") and message.attachment_name == "certificat-médical.pdf"
    # And staff download it as a PDF, shown in the browser, never as an HTML file
    client.force_login(staff_create())
    response = client.get(f"/ville-a/gestion/messagerie/pieces-jointes/{message.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''certificat-m%C3%A9dical.pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_an_attachment_stored_under_its_uploaded_name_is_served_safely(client, family, enfance):
    user, household = family.user, family.household
    conversation = services.conversation_start(household=household, author=user, service=enfance,
                                               subject="Facture", body="Ci-joint", attachment=pdf_upload())
    # Given a row from before the fix: the uploader's name and a type that is not the content's
    Message.objects.filter(conversation=conversation).update(attachment_name="facture.html",
                                                             attachment_type="text/html")
    message = Message.objects.get()
    client.force_login(user)
    response = client.get(f"/ville-a/messagerie/pieces-jointes/{message.pk}/")
    # Then it is served as what its content is
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="facture.pdf"'
