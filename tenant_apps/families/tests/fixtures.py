"""Fixtures of the family record: two households of town A, a signed-in parent's client.

Imported by this app's conftest and by cross-cutting tests (tests/test_household_isolation.py)."""

from dataclasses import dataclass

import pytest
import time_machine
from django.db import connection
from django.test import Client

from .factories import ChildFactory, GuardianFactory, HouseholdFactory, child_with_records


class TownClient(Client):
    """A test client that steps back into the town's schema after each request, so the test
    can keep reading the town's rows (the routing middleware resets to public)."""

    def __init__(self, town, **kwargs):
        super().__init__(**kwargs)
        self.town = town

    def request(self, **request):
        try:
            return super().request(**request)
        finally:
            connection.set_tenant(self.town)


@dataclass
class Family:
    household: object
    guardian: object
    child: object
    records: dict


def make_family(name: str, email: str) -> Family:
    household = HouseholdFactory(name=name)
    guardian = GuardianFactory(household=household, user__email=email)
    child = ChildFactory.create(household=household)
    return Family(household, guardian, child, child_with_records(child))


@pytest.fixture
def frozen_today():
    with time_machine.travel("2026-11-27 10:00 +01:00", tick=False):
        yield


@pytest.fixture
def family(in_town_a, frozen_today):
    return make_family("ALAIN", "marie.alain@exemple.fr")


@pytest.fixture
def other_family(in_town_a, frozen_today):
    return make_family("BERNARD", "paul.bernard@exemple.fr")


@pytest.fixture
def parent_client(family, in_town_a):
    client = TownClient(in_town_a)
    client.force_login(family.guardian.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def staff_client(in_town_a):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_user("agent@mairie.fr", password="x", is_staff=True)
    client = TownClient(in_town_a)
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    return client
