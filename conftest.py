"""Root fixtures: two provisioned towns for the whole session, and helpers to step into them.

The towns are created once (committed) in the test database; each test runs inside a
transaction that is rolled back, with the connection switched to the town's schema.
"""

import pytest
from django.core.cache import cache
from django.db import connection

from tests.support import jobs as job_support

TOWN_A = {"slug": "ville-a", "name": "Mairie de Ville-A", "zone": "B"}
TOWN_B = {"slug": "ville-b", "name": "Mairie de Ville-B", "zone": "C"}


@pytest.fixture(scope="session")
def towns(django_db_setup, django_db_blocker):
    from provisioning.services import town_create
    from tenants.models import Town

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        created = {}
        for spec in (TOWN_A, TOWN_B):
            town = Town.objects.filter(slug=spec["slug"]).first() or town_create(**spec)
            created[spec["slug"]] = town
        connection.set_schema_to_public()
    return created


@pytest.fixture
def town_a(towns, db):
    return towns["ville-a"]


@pytest.fixture
def town_b(towns, db):
    return towns["ville-b"]


@pytest.fixture
def in_town_a(town_a):
    """Run the test body inside town A's schema."""
    connection.set_tenant(town_a)
    yield town_a
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _fresh_state():
    cache.clear()
    yield
    connection.set_schema_to_public()
    cache.clear()


@pytest.fixture
def run_jobs():
    """Process every queued background job now, in this thread, through the town middleware."""
    return job_support.drain


@pytest.fixture
def outbox(mailoutbox):
    return mailoutbox
