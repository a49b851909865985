import pytest

from .factories import UserFactory


@pytest.fixture
def newcomer(town):
    """A parent of town A whose account exists but who has never created a password."""
    return UserFactory(email="nouveau@exemple.fr")
