"""Every page of the home, documents and messaging sections answers for a parent and for staff."""

import pytest


@pytest.mark.parametrize("path", ["/", "/mes-documents/", "/messagerie/"])
def test_parent_pages_answer(client, family, path):
    user = family.user
    client.force_login(user)
    response = client.get(f"/ville-a{path}")
    assert response.status_code == 200
    assert "Navigation principale" in response.content.decode()


@pytest.mark.parametrize("path", ["/gestion/portail/", "/gestion/documents/", "/gestion/messagerie/",
                                  "/gestion/messagerie/services/"])
def test_staff_pages_answer(client, staff, path):
    client.force_login(staff)
    assert client.get(f"/ville-a{path}").status_code == 200


def test_staff_detail_pages_answer(client, staff, family):
    import datetime

    from tenant_apps.documents.models import Document
    from tenant_apps.documents.services import document_publish
    from tenant_apps.messaging.models import TownService
    from tenant_apps.messaging.services import conversation_start
    from tests.support.files import pdf_upload

    document = document_publish(title="Menus", category=Document.Category.MENUS, upload=pdf_upload(),
                                published_on=datetime.date(2026, 1, 1))
    service = TownService.objects.create(name="Service enfance")
    conversation = conversation_start(household=family.household, author=family.user, service=service, subject="Question",
                                      body="Bonjour")
    client.force_login(staff)
    for path in (f"/gestion/documents/{document.pk}/", f"/gestion/messagerie/services/{service.pk}/",
                 f"/gestion/messagerie/conversations/{conversation.pk}/", "/gestion/messagerie/?statut=all",
                 f"/gestion/messagerie/?service={service.pk}&statut=closed"):
        assert client.get(f"/ville-a{path}").status_code == 200, path
    # the staff menu lists the three screens
    menu = client.get("/ville-a/gestion/").content.decode()
    for label in ("Accueil du portail", "Documents", "Messagerie", "Services joignables"):
        assert label in menu
