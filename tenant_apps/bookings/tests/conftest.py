import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tenant_apps.services.tests.factories import ChildFactory, GuardianFactory, ServiceFactory, enrol

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


__all__ = ["enrol"]
