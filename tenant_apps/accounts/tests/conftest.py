import re

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from .factories import PASSWORD, StaffFactory, UserFactory

LINK_RE = re.compile(r"https?://\S+?/mot-de-passe/([\w-]+)/")


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def parent(town_a):
    """A parent of town A who already has a password."""
    with tenant_context(town_a):
        return UserFactory(email="camille@exemple.fr", password=PASSWORD)


@pytest.fixture
def newcomer(town_a):
    """A parent of town A whose account exists but who has never created a password."""
    with tenant_context(town_a):
        return UserFactory(email="nouveau@exemple.fr")


@pytest.fixture
def staff(town_a):
    with tenant_context(town_a):
        return StaffFactory(email="agent@mairie.fr", password=PASSWORD)


def link_token(message) -> str:
    """The token of the "Créer le mot de passe" link in an e-mail."""
    found = LINK_RE.search(message.body)
    assert found, f"no password link in {message.body!r}"
    return found.group(1)
