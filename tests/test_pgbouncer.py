"""Through PgBouncer in transaction pooling mode, a town never sees another town's rows.

Two towns with committed families are served at the same time by threads whose database
connections go through a real PgBouncer (`DATABASE_POOLER=pgbouncer`), whose two server
connections they share: every transaction may land on a server session another town just used.
"""

import threading
import uuid
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction

from tenants.current import activate_public, activate_town
from tests.support.fixtures import TownClient, family_create

ROUNDS = 15
THREADS_PER_TOWN = 3


@pytest.fixture
def two_towns(live_db):
    """Two committed towns, each with its own family: ALPHA (Aline, Arthur) and BRAVO (Bruno, Berthe)."""
    from provisioning.services import town_create, town_drop
    from tenants.opening import town_open

    made = []
    try:
        for name, first_name, children in (("ALPHA", "Alice", ("Aline", "Arthur")),
                                           ("BRAVO", "Bob", ("Bruno", "Berthe"))):
            town = town_create(slug=f"pool-{name.lower()}-{uuid.uuid4().hex[:6]}", name=f"Mairie {name}", zone="B")
            town_open(town=town, by="tests")  # parents sign in: the portal is open
            made.append(town)
            activate_town(town)
            family = family_create(name, first_name=first_name, children=children)
            activate_public()
            made[-1] = (town, family)
        yield made
    finally:
        activate_public()
        for entry in made:
            town_drop(town=entry[0] if isinstance(entry, tuple) else entry)


@contextmanager
def through_pgbouncer(address):
    """New connections (those of the threads started inside) go through PgBouncer, in pooler mode."""
    saved = dict(connections.settings["default"])
    host, port = address
    connections.settings["default"].update(
        {"HOST": host, "PORT": str(port), "POOLER": "pgbouncer", "DISABLE_SERVER_SIDE_CURSORS": True,
         "CONN_MAX_AGE": 600})
    try:
        yield
    finally:
        connections.settings["default"].clear()
        connections.settings["default"].update(saved)


def run_threads(targets) -> list[str]:
    problems: list[str] = []
    lock = threading.Lock()

    def wrap(target):
        try:
            target()
        except Exception as error:  # noqa: BLE001 - reported below, with the thread's story
            with lock:
                problems.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return problems


def test_two_towns_served_at_once_through_pgbouncer_never_see_each_others_rows(two_towns, pgbouncer):
    (town_a, family_a), (town_b, family_b) = two_towns
    own = {town_a.pk: {"ALPHA"}, town_b.pk: {"BRAVO"}}
    clients = {}
    for town, family in two_towns:
        connection.set_tenant(town)  # the session lives in the town's schema
        clients[town.pk] = []
        for _ in range(THREADS_PER_TOWN):
            client = TownClient()
            client.force_login(family.user, backend="django.contrib.auth.backends.ModelBackend")
            clients[town.pk].append(client)
        activate_public()

    def pages(town, family, other, client):
        """A parent of the town reloads their children's page: only their children, ever."""
        def run():
            for _ in range(ROUNDS):
                page = client.get(f"/{town.slug}/mes-enfants/")
                assert page.status_code == 200, (town.slug, page.status_code)
                content = page.content.decode()
                for child in family.children:
                    assert child.first_name in content, (town.slug, child.first_name)
                for child in other.children:
                    assert child.first_name not in content, (town.slug, "sees", child.first_name)
        return run

    def switching(first, second):
        """One connection serving both towns in turn, in autocommit and inside transactions."""
        from tenant_apps.families.models import Child

        def names():
            return set(Child.objects.values_list("last_name", flat=True))

        def run():
            for _ in range(ROUNDS):
                for town in (first, second):
                    activate_town(town)
                    assert names() == own[town.pk], (town.slug, names())
                with transaction.atomic():
                    activate_town(first)
                    assert names() == own[first.pk]
                    activate_town(second)
                    assert names() == own[second.pk]
                    with transaction.atomic():  # a savepoint rolled back undoes its SET LOCAL
                        activate_town(first)
                        assert names() == own[first.pk]
                        transaction.set_rollback(True)
                    assert names() == own[first.pk]
                activate_public()
        return run

    targets = [pages(town_a, family_a, family_b, c) for c in clients[town_a.pk]]
    targets += [pages(town_b, family_b, family_a, c) for c in clients[town_b.pk]]
    targets += [switching(town_a, town_b), switching(town_b, town_a)]
    with through_pgbouncer(pgbouncer):
        problems = run_threads(targets)
    assert problems == []

