import pytest

from tenant_apps.accounts.models import User
from tenant_apps.bookings.tests.conftest import canteen, client, family  # noqa: F401 - shared fixtures


@pytest.fixture
def staff(in_town_a):
    return User.objects.create_user("gestion@ville-a.test", "x", is_staff=True)


@pytest.fixture
def staff_client(client, staff):  # noqa: F811
    client.force_login(staff)
    client.staff = staff
    return client
