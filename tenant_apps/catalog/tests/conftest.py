import pytest

from tenant_apps.accounts.models import User
from tenant_apps.catalog.tests.factories import ChildFactory, GuardianFactory


@pytest.fixture
def family(in_town_a):
    """(Kept from the bookings conftest, which is gone: the root `family` is a dataclass.)"""
    guardian = GuardianFactory(household__name="ALAIN")
    theo = ChildFactory(household=guardian.household, first_name="Théo")
    anna = ChildFactory(household=guardian.household, first_name="Anna")
    return guardian, theo, anna


@pytest.fixture
def staff(in_town_a):
    return User.objects.create_user("gestion@ville-a.test", "x", is_staff=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    client.staff = staff
    return client
