"""The pool of spare town schemas: made by migration off the request path, claimed by a rename.

A new town costs a rename and a few rows instead of a migration (seconds) or django-tenants'
clone (which reads a catalogue that grows with every town). The pool is refilled by the
`refill_spare_schemas` job after each claim and every ten minutes, by `migrate_schemas`,
and by `manage.py refill_spare_schemas`. A spare is claimed only when its schema holds every
migration of the running code; one left behind by a deploy is migrated by the next refill.
"""

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django_tenants.utils import schema_exists

from tenants.current import activate_public

from .migration_state import code_state, schema_at_code_state, schemas_at_code_state
from .models import SpareSchema

logger = logging.getLogger(__name__)

SPARE_PREFIX = "spare_"
# pg_advisory_lock key: one refill at a time across workers, scheduler and operators.
REFILL_LOCK = 0x7370_6172  # "spar"
CLAIM_ATTEMPTS = 3


@dataclass
class SpareRefill:
    created: int = 0
    migrated: int = 0
    dropped: int = 0
    busy: bool = False  # another refill held the lock: nothing was done


def spare_claim(*, schema_name: str) -> bool:
    """Rename a spare at the code's migration state to `schema_name`; False when there is none.

    Runs inside the caller's transaction (town creation): the spare's registry row stays locked
    until it commits, so concurrent creations skip it (`SKIP LOCKED`) and never share a spare;
    a rollback gives the spare back.
    """
    state = code_state()
    for _attempt in range(CLAIM_ATTEMPTS):
        spare = (SpareSchema.objects.select_for_update(skip_locked=True).filter(migration_state=state)
                 .extra(where=["to_regclass(quote_ident(schema_name) || '.django_migrations') IS NOT NULL"])
                 .order_by("id").only("id", "schema_name").first())
        if spare is None:
            return False
        if not schema_at_code_state(spare.schema_name):
            # Its registry row says current but the schema does not: leave it to the next refill.
            logger.warning("Spare schema %s is behind the code's migrations; not claimed.", spare.schema_name)
            SpareSchema.objects.filter(pk=spare.pk).update(migration_state="")
            continue
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:  # one round trip: the rename and the spare's row gone
            cursor.execute(f"ALTER SCHEMA {quote(spare.schema_name)} RENAME TO {quote(schema_name)};"  # noqa: S608
                           f" DELETE FROM {quote(SpareSchema._meta.db_table)} WHERE id = {int(spare.pk)}")
        return True
    return False


def spare_pool_refill(*, size: int | None = None) -> SpareRefill:
    """Migrate the spares behind the code, then make new ones until the pool holds `size`.

    Slow (a migration per spare): never on a request's path. Returns at once when another
    refill is running.
    """
    size = settings.TOWN_SPARE_SCHEMAS if size is None else size
    lock = connections.create_connection(DEFAULT_DB_ALIAS)  # migrations close the default connection
    try:
        with lock.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [REFILL_LOCK])
            if not cursor.fetchone()[0]:
                return SpareRefill(busy=True)
        try:
            return _refill(size)
        finally:
            activate_public()
            with lock.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [REFILL_LOCK])
    finally:
        lock.close()


def _refill(size: int) -> SpareRefill:
    activate_public()
    report = SpareRefill()
    state = code_state()
    for spare in list(SpareSchema.objects.exclude(migration_state=state)):
        if not schema_exists(spare.schema_name):
            SpareSchema.objects.filter(pk=spare.pk).delete()
            report.dropped += 1
            continue
        # "" marks it as being migrated: no process (even one running older code) claims it meanwhile.
        if SpareSchema.objects.filter(pk=spare.pk, migration_state=spare.migration_state).update(migration_state=""):
            _spare_migrate(spare.pk, spare.schema_name, state)
            report.migrated += 1
    while SpareSchema.objects.count() < size:
        name = f"{SPARE_PREFIX}{secrets.token_hex(6)}"
        spare = SpareSchema.objects.create(schema_name=name)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {connection.ops.quote_name(name)}")
        _spare_migrate(spare.pk, name, state)
        report.created += 1
    return report


def _spare_migrate(pk: int, schema_name: str, state: str) -> None:
    call_command("migrate_schemas", schema_name=schema_name, tenant=True, interactive=False, verbosity=0,
                 executor="standard")
    activate_public()
    if schema_name in schemas_at_code_state([schema_name]):
        SpareSchema.objects.filter(pk=pk).update(migration_state=state, migrated_at=timezone.now())
    else:  # a migration on disk that migrate did not record (e.g. excluded by a router): never claim it
        logger.error("Spare schema %s is still behind the code's migrations after migrating it.", schema_name)


def spare_pool_drop() -> int:
    """Drop every spare schema and its registry row (tests, benchmarks, an operator emptying the pool)."""
    activate_public()
    dropped = 0
    for spare in list(SpareSchema.objects.all()):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(spare.schema_name)} CASCADE")
        spare.delete()
        dropped += 1
    return dropped


def spare_pool_status() -> dict[str, int]:
    """How many spares are ready (at the code's state) and how many wait for a migration."""
    activate_public()
    state = code_state()
    ready = SpareSchema.objects.filter(migration_state=state).count()
    return {"ready": ready, "behind": SpareSchema.objects.count() - ready}
