"""A new town is a spare schema renamed: already migrated, claimed once, never behind the code.

The spares are real schemas made by migration and committed (the claim is a rename another
connection must see), so these tests use `live_db` and clean up the towns and spares they make.
"""

import threading
import uuid

import dramatiq
import pytest
from django.db import close_old_connections, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django_tenants.utils import schema_exists, tenant_context

from provisioning.migration_state import code_state, schemas_at_code_state
from provisioning.models import SpareSchema
from provisioning.services import town_create, town_drop
from provisioning.spares import spare_pool_drop, spare_pool_refill
from provisioning.tasks import refill_spare_schemas
from tenants.current import activate_public
from tenants.models import Town

# Rows the migrations themselves write in every town; any other row would be another town's data.
SEEDED_BY_MIGRATIONS = {"django_migrations", "django_content_type", "auth_permission", "billing_numbersequence"}


@pytest.fixture
def pool(live_db, settings):
    """An empty pool; every town and spare the test makes is dropped afterwards."""
    settings.TOWN_SPARE_SCHEMAS = 0
    spare_pool_drop()
    towns_before = set(Town.objects.values_list("pk", flat=True))
    dramatiq.get_broker().flush_all()
    yield
    close_old_connections()
    activate_public()
    dramatiq.get_broker().flush_all()
    for town in Town.objects.exclude(pk__in=towns_before):
        town_drop(town=town)
    spare_pool_drop()


def _slug() -> str:
    return f"pool-{uuid.uuid4().hex[:8]}"


def _row_counts(schema: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables"
                       " WHERE table_schema = %s AND table_type = 'BASE TABLE'", [schema])
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(schema)}.{connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _fake_spare(*, state: str, applied: int) -> str:
    """A schema registered as a spare whose history holds only `applied` of the code's migrations."""
    name = f"spare_fake{uuid.uuid4().hex[:6]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{name}"')
        cursor.execute(f'CREATE TABLE "{name}".django_migrations'
                       " (id serial PRIMARY KEY, app varchar(255), name varchar(255), applied timestamptz)")
        cursor.execute(f'INSERT INTO "{name}".django_migrations (app, name, applied)'
                       " SELECT app, name, now() FROM public.django_migrations ORDER BY id LIMIT %s", [applied])
    SpareSchema.objects.create(schema_name=name, migration_state=state)
    return name


def test_a_new_town_is_a_spare_renamed_empty_at_the_codes_migrations_and_answering(pool):
    # Given a pool of one spare, made by the refill job's migration
    spare_pool_refill(size=1)
    [spare] = SpareSchema.objects.all()
    assert spare.migration_state == code_state()

    # When an operator creates Lannion
    town = town_create(slug=_slug(), name="Mairie de Lannion")

    # Then the spare became the town: renamed, gone from the pool
    assert not schema_exists(spare.schema_name) and schema_exists(town.schema_name)
    assert not SpareSchema.objects.exists()
    # Its portal answers
    page = Client().get(f"/{town.slug}/connexion/")
    assert page.status_code == 200
    assert "Mairie de Lannion" in page.content.decode()
    # It holds no one's data, only what the migrations write and its own profile
    counts = _row_counts(town.schema_name)
    assert {table for table, rows in counts.items() if rows} - SEEDED_BY_MIGRATIONS == {"portal_townprofile"}
    assert counts["portal_townprofile"] == 1
    # And Django has nothing left to migrate in it
    assert town.schema_name in schemas_at_code_state([town.schema_name])
    with tenant_context(town):
        executor = MigrationExecutor(connection)
        assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_two_towns_created_at_the_same_instant_claim_two_different_spares(pool):
    spare_pool_refill(size=2)
    spares = set(SpareSchema.objects.values_list("schema_name", flat=True))
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def create(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = town_create(slug=_slug(), name=f"Mairie {index}")
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()

    # Both towns exist, in two schemas, and both spares are used up (none was shared or left behind)
    created = [o for o in outcomes if isinstance(o, Town)]
    assert len(created) == 2, outcomes
    towns = Town.objects.filter(slug__in=[town.slug for town in created])
    assert len({t.schema_name for t in towns}) == 2
    assert not SpareSchema.objects.exists()
    assert not any(schema_exists(name) for name in spares)
    for town in towns:
        assert Client().get(f"/{town.slug}/connexion/").status_code == 200


def test_without_a_spare_the_town_is_migrated_and_a_refill_is_queued(pool, settings):
    settings.TOWN_SPARE_SCHEMAS = 1
    assert not SpareSchema.objects.exists()

    town = town_create(slug=_slug(), name="Mairie de Secours")

    assert town.schema_name in schemas_at_code_state([town.schema_name])
    assert Client().get(f"/{town.slug}/connexion/").status_code == 200
    queued = [dramatiq.Message.decode(data).actor_name
              for queue in dramatiq.get_broker().queues.values() for data in list(queue.queue)]
    assert queued == ["refill_spare_schemas"]


def test_a_spare_behind_the_codes_migrations_is_never_claimed(pool):
    # Given two spares behind the code: one the registry knows is from older code, one whose
    # registry row claims the current state but whose schema lacks the last migrations
    old_code = _fake_spare(state="0" * 64, applied=10)
    lying = _fake_spare(state=code_state(), applied=10)

    town = town_create(slug=_slug(), name="Mairie Prudente")

    # Then neither became the town: it was migrated, and both are still spares, left for the refill
    assert schema_exists(old_code) and schema_exists(lying)
    assert set(SpareSchema.objects.values_list("schema_name", flat=True)) == {old_code, lying}
    assert SpareSchema.objects.get(schema_name=lying).migration_state == ""
    assert town.schema_name in schemas_at_code_state([town.schema_name])
    assert _row_counts(town.schema_name)["django_migrations"] > 10


def test_the_refill_job_migrates_the_spares_behind_and_tops_the_pool_up(pool, settings, run_jobs):
    # Given a pool meant to hold 2, with one spare left behind by an older release
    settings.TOWN_SPARE_SCHEMAS = 2
    behind = _fake_spare(state="0" * 64, applied=0)

    # When the refill job runs
    refill_spare_schemas.send()
    run_jobs()

    # Then the old spare is migrated and a second one made: both ready to be claimed
    spares = list(SpareSchema.objects.all())
    assert len(spares) == 2 and behind in {s.schema_name for s in spares}
    assert all(s.migration_state == code_state() and s.migrated_at for s in spares)
    assert schemas_at_code_state([s.schema_name for s in spares]) == {s.schema_name for s in spares}
    # And a spare is never a town: routing does not know it
    assert not Town.objects.filter(schema_name__in=[s.schema_name for s in spares]).exists()
