"""Which schemas are at the code's migration state, asked of the catalogue in one query.

The code's state is the set of migrations on disk (what `migrate` would record once it is
done); a schema is at that state when its `django_migrations` holds every one of them. It is
the question `migrate_schemas` asks before loading a town's history, and the one a spare
must answer yes to before it is claimed.
"""

import functools
import hashlib
import pkgutil
from collections.abc import Iterable
from importlib import import_module

from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader

# One statement reads this many schemas' django_migrations (the planner slows past a few hundred).
CHUNK = 250


@functools.cache
def code_migrations() -> frozenset[tuple[str, str]]:
    """(app_label, name) of every migration on disk, found as Django's loader finds them, without importing them."""
    found: set[tuple[str, str]] = set()
    for app_config in apps.get_app_configs():
        module_name, _explicit = MigrationLoader.migrations_module(app_config.label)
        if module_name is None:
            continue
        try:
            module = import_module(module_name)
        except ModuleNotFoundError:
            continue
        if not hasattr(module, "__path__"):
            continue
        found.update(
            (app_config.label, name) for _, name, is_pkg in pkgutil.iter_modules(module.__path__)
            if not is_pkg and name[0] not in "_~"
        )
    return frozenset(found)


@functools.cache
def code_state() -> str:
    """A fingerprint of the code's migrations, stored beside a spare once it is migrated."""
    listing = "\n".join(f"{app}.{name}" for app, name in sorted(code_migrations()))
    return hashlib.sha256(listing.encode()).hexdigest()


def schemas_at_code_state(schemas: Iterable[str]) -> set[str]:
    """The schemas among `schemas` whose django_migrations holds every migration of the code.

    Two statements whatever the number of schemas (one more per CHUNK schemas): which of them
    have a django_migrations table, then how many of the code's migrations each has applied.
    """
    wanted = list(dict.fromkeys(schemas))
    if not wanted:
        return set()
    expected = sorted(code_migrations())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [wanted],
        )
        with_history = [row[0] for row in cursor.fetchall()]
        current: set[str] = set()
        for start in range(0, len(with_history), CHUNK):
            chunk = with_history[start:start + CHUNK]
            counts = " UNION ALL ".join(_applied_count(quote(schema)) for schema in chunk)
            cursor.execute(
                _WITH_EXPECTED + " SELECT schema_name FROM (" + counts + ") AS c WHERE applied = %s",  # noqa: S608
                [[app for app, _ in expected], [name for _, name in expected], *chunk, len(expected)],
            )
            current.update(row[0] for row in cursor.fetchall())
    return current


def schema_at_code_state(schema: str) -> bool:
    """One schema, known to have a django_migrations table, holds every migration of the code (one statement)."""
    expected = sorted(code_migrations())
    count = _applied_count(connection.ops.quote_name(schema))
    with connection.cursor() as cursor:
        cursor.execute(
            _WITH_EXPECTED + " SELECT applied = %s FROM (" + count + ") AS c",  # noqa: S608
            [[app for app, _ in expected], [name for _, name in expected], len(expected), schema],
        )
        return bool(cursor.fetchone()[0])


_WITH_EXPECTED = "WITH expected(app, name) AS (SELECT * FROM unnest(%s::text[], %s::text[]))"
_APPLIED_COUNT = (
    "SELECT %s AS schema_name, (SELECT count(DISTINCT (m.app, m.name)) FROM {schema}.django_migrations m"
    " JOIN expected e ON e.app = m.app AND e.name = m.name) AS applied"
)


def _applied_count(quoted_schema: str) -> str:
    """How many of the expected migrations one schema has applied (its name bound as the first parameter)."""
    return _APPLIED_COUNT.format(schema=quoted_schema)


def schemas_behind(schemas: Iterable[str]) -> list[str]:
    """`schemas`, in order, less those already at the code's migration state."""
    wanted = list(dict.fromkeys(schemas))
    current = schemas_at_code_state(wanted)
    return [schema for schema in wanted if schema not in current]
