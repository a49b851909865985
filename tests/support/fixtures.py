"""The test vocabulary shared by every app, registered once from the root conftest.

- `town`: town A, its schema active for the test body (town_a / town_b: the two session towns,
  not entered, for isolation tests);
- `client`: Django's test client, which steps back into the town the test was in after each
  request (the routing middleware resets the connection to public when a response is done);
- `family`: the ALAIN household (a `Family`: household, guardian, user, children Théo, born
  2019-03-12 as in the guide, and Anna);
  `other_family`: the BERNARD household; `parent`: ALAIN's guardian's login, with `PASSWORD`;
- `staff`: a town staff member (`staff_create` makes more);
  `parent_client` / `staff_client`: signed-in clients;
- `canteen`: "Repas Enfant", Mon/Tue/Thu/Fri, every open day, closing 08:30 the same day;
- `run_jobs`: process the queued background jobs now, through the town middleware, and come
  back to the test's town;
- `at`: at(2026, 11, 27, 8) -> an aware Europe/Paris datetime.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

import pytest
from django.db import connection as default_connection
from django.test import Client

from tests.support import jobs as job_support

if TYPE_CHECKING:
    from tenant_apps.families.models import Child, Guardian, Household

PARIS = ZoneInfo("Europe/Paris")
# django-tenants' connection (schema_name, tenant, set_tenant), which the stubs do not know.
connection: Any = default_connection


class TownClient(Client):
    """A test client that re-enters, after each request, the schema the test was in."""

    def request(self, **request):
        tenant = connection.tenant if connection.schema_name != "public" else None
        try:
            return super().request(**request)
        finally:
            if tenant is not None:
                connection.set_tenant(tenant)


@dataclass
class Family:
    """A household as tests use it: its first guardian (who signs in) and its children."""

    household: Household
    guardian: Guardian
    children: list[Child] = field(default_factory=list)

    @property
    def user(self):
        return self.guardian.user

    @property
    def child(self):
        return self.children[0]


def family_create(name: str = "ALAIN", *, first_name: str = "Marie", email: str | None = None,
                  children: tuple[str, ...] = ("Théo", "Anna"), **household_fields) -> Family:
    """A household with one signing-in guardian (password PASSWORD) and named children."""
    from tenant_apps.accounts.tests.factories import PASSWORD, UserFactory
    from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory, HouseholdFactory

    household = HouseholdFactory(name=name, **household_fields)
    email = email or f"{first_name.lower()}.{name.lower()}@exemple.fr"
    user = UserFactory(email=email, first_name=first_name, last_name=name, password=PASSWORD)
    guardian = GuardianFactory(household=household, user=user, first_name=first_name, email=email, is_payer=True)
    kids = [ChildFactory(household=household, first_name=child_name, birth_date=dt.date(2019 + i % 4, 3 + i, 12))
            for i, child_name in enumerate(children)]
    return Family(cast("Household", household), cast("Guardian", guardian), cast("list[Child]", kids))


@pytest.fixture
def town(town_a):
    """Town A, its schema active for the test body."""
    connection.set_tenant(town_a)
    yield town_a
    connection.set_schema_to_public()


@pytest.fixture
def client():
    return TownClient()


@pytest.fixture
def family(town) -> Family:
    return family_create("ALAIN")


@pytest.fixture
def other_family(town) -> Family:
    return family_create("BERNARD", first_name="Paul")


@pytest.fixture
def parent(family):
    return family.user


def staff_create(email: str = "agent@mairie.fr", **fields):
    """A staff member of the current town, Agnès Agent unless told otherwise (password PASSWORD)."""
    from tenant_apps.accounts.tests.factories import PASSWORD, StaffFactory

    fields = {"first_name": "Agnès", "last_name": "Agent", "password": PASSWORD, **fields}
    return StaffFactory(email=email, **fields)


@pytest.fixture
def staff(town):
    return staff_create()


def _signed_in(user) -> TownClient:
    client = TownClient()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def parent_client(parent):
    return _signed_in(parent)


@pytest.fixture
def staff_client(staff):
    return _signed_in(staff)


@pytest.fixture
def canteen(town):
    from tenant_apps.catalog.tests.factories import ServiceFactory

    return ServiceFactory(name="Repas Enfant", weekdays=[0, 1, 3, 4], deadline_time=dt.time(8, 30))


@pytest.fixture
def run_jobs():
    """Process every queued background job now, then come back to the test's schema."""

    def drain(max_messages: int = 1000) -> dict:
        tenant = connection.tenant if connection.schema_name != "public" else None
        try:
            return job_support.drain(max_messages)
        finally:
            if tenant is not None:
                connection.set_tenant(tenant)

    return drain


@pytest.fixture
def at():
    """at(2026, 11, 27, 8) -> an aware Europe/Paris datetime."""

    def make(*args) -> dt.datetime:
        return dt.datetime(*args).replace(tzinfo=PARIS)

    return make
