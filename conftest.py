"""Root fixtures: two provisioned towns for the whole session, and helpers to step into them.

The towns are created once (committed) in the test database; each test runs inside a
transaction that is rolled back, with the connection switched to the town's schema.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from tenants.current import activate_public

pytest_plugins = [
    "tests.support.fixtures",
    "tests.support.live",
    "tests.support.services",
    "tests.support.faults",
    "tests.support.pgbouncer",
]

TOWN_A = {"slug": "ville-a", "name": "Mairie de Ville-A", "zone": "B"}
TOWN_B = {"slug": "ville-b", "name": "Mairie de Ville-B", "zone": "C"}


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_keepdb, django_db_createdb,
                    django_db_modify_db_settings):
    """pytest-django's, except that the test database is always set up: browser tests use it
    without the `db` fixture (they need committed data)."""
    from django.test.utils import setup_databases, teardown_databases

    keepdb = {"keepdb": True} if django_db_keepdb and not django_db_createdb else {}
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False,
                                 aliases={"default"}, serialized_aliases=set(), **keepdb)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            _close_other_sessions()
            teardown_databases(config, verbosity=request.config.option.verbose)


def _close_other_sessions():
    """Live-server threads may still hold a connection; the test database cannot be dropped then."""
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session")
def towns(django_db_setup, django_db_blocker):
    from provisioning.services import town_create
    from tenants.models import Town

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        created = {}
        for spec in (TOWN_A, TOWN_B):
            town = Town.objects.filter(slug=spec["slug"]).first() or town_create(**spec)
            if town.opened_at is None:  # the test towns are open to parents (a new town is not)
                Town.objects.filter(pk=town.pk).update(opened_at=timezone.now(), opened_by="tests")
                town.refresh_from_db()
            created[spec["slug"]] = town
        connection.set_schema_to_public()
    return created


@pytest.fixture
def town_a(towns, db):
    return towns["ville-a"]


@pytest.fixture
def town_b(towns, db):
    return towns["ville-b"]


@pytest.fixture(autouse=True)
def _fresh_state():
    from tenants.routing import forget_local

    cache.clear()
    forget_local()
    yield
    activate_public()  # the public schema and the default time zone
    cache.clear()
    forget_local()


@pytest.fixture
def outbox(mailoutbox):
    return mailoutbox
