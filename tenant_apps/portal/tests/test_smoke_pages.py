"""Every page of the home, documents and messaging sections answers for a parent and for staff."""

import pytest


@pytest.mark.parametrize("path", ["/", "/mes-documents/", "/messagerie/"])
def test_parent_pages_answer(town_client, family, path):
    user, _ = family
    town_client.login(user)
    response = town_client.get(path)
    assert response.status_code == 200
    assert "Navigation principale" in response.content.decode()


@pytest.mark.parametrize("path", ["/gestion/portail/", "/gestion/documents/", "/gestion/messagerie/",
                                  "/gestion/messagerie/services/"])
def test_staff_pages_answer(town_client, staff, path):
    town_client.login(staff)
    assert town_client.get(path).status_code == 200
