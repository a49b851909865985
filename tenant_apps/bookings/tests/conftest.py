import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tenant_apps.catalog.tests.factories import (
    ChildFactory,
    GuardianFactory,
    ServiceFactory,
    enrol,
)

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def family(in_town_a):
    """A household with a signed-in-able guardian and two children."""
    guardian = GuardianFactory(household__name="ALAIN")
    theo = ChildFactory(household=guardian.household, first_name="Théo")
    anna = ChildFactory(household=guardian.household, first_name="Anna")
    return guardian, theo, anna


@pytest.fixture
def canteen(in_town_a):
    """Repas Enfant: Mon, Tue, Thu, Fri, every open day, closes 08:30 the same day."""
    return ServiceFactory(name="Repas Enfant", weekdays=[0, 1, 3, 4], deadline_time=dt.time(8, 30))


@pytest.fixture
def at():
    """at(2026, 11, 27, 8) -> an aware Paris datetime."""
    def make(*args):
        return dt.datetime(*args, tzinfo=PARIS)
    return make


@pytest.fixture
def client(client, request):
    """The test client, stepping back into the test's town after each request (the routing
    middleware resets the connection to the public schema when a response is done)."""
    from django.db import connection

    original = client.request

    def request_and_come_back(**kwargs):
        tenant = connection.tenant if connection.schema_name != "public" else None
        try:
            return original(**kwargs)
        finally:
            if tenant is not None:
                connection.set_tenant(tenant)

    client.request = request_and_come_back
    return client


__all__ = ["enrol"]
