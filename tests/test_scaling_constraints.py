"""The constraints that keep the path to Citus open (docs/scaling.md), checked on the real schemas.

1. A town table holds foreign keys only to tables of its own schema, or to the public tables that
   become Citus reference tables (tenants.scaling.REFERENCE_TABLES), which point only at each other.
2. A town request (pages, API, a booking written) touches its town's schema and those reference
   tables only: never another town's schema, never a public table left on the coordinator.
3. Every town table has a primary key (Citus moves a schema with logical replication).
"""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.catalog.tests.factories import enrol
from tenants.scaling import REFERENCE_TABLES, citus_distribution_sql

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def _foreign_keys() -> list[tuple[str, str, str, str, str]]:
    """(constraint, from schema, from table, to schema, to table) for every foreign key of the database."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.conname, src_ns.nspname, src.relname, dst_ns.nspname, dst.relname
            FROM pg_constraint c
            JOIN pg_class src ON src.oid = c.conrelid JOIN pg_namespace src_ns ON src_ns.oid = src.relnamespace
            JOIN pg_class dst ON dst.oid = c.confrelid JOIN pg_namespace dst_ns ON dst_ns.oid = dst.relnamespace
            WHERE c.contype = 'f'
        """)
        return cursor.fetchall()


def _town_schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'town\\_%'")
        return {row[0] for row in cursor.fetchall()}


def _tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def test_town_tables_point_only_inside_their_town_or_at_reference_tables(towns, db):
    connection.set_schema_to_public()
    schemas = _town_schemas()
    assert {town.schema_name for town in towns.values()} <= schemas
    keys = _foreign_keys()
    inside = [key for key in keys if key[1] in schemas and key[3] == key[1]]
    outside = [key for key in keys if key[1] in schemas and key[3] != key[1]
               and not (key[3] == "public" and key[4] in REFERENCE_TABLES)]
    assert inside, "the town schemas have foreign keys of their own: the query must see them"
    assert outside == []


def test_reference_tables_point_only_at_reference_tables_and_nothing_public_points_into_a_town(towns, db):
    connection.set_schema_to_public()
    assert set(REFERENCE_TABLES) <= _tables("public")
    schemas = _town_schemas()
    keys = _foreign_keys()
    from_reference = [key for key in keys if key[1] == "public" and key[2] in REFERENCE_TABLES]
    assert from_reference, "tenants_townslugredirect points at tenants_town"
    assert [key for key in from_reference if key[3] != "public" or key[4] not in REFERENCE_TABLES] == []
    # Citus makes a reference table only after those it points at
    order = {table: index for index, table in enumerate(REFERENCE_TABLES)}
    assert all(order[key[4]] < order[key[2]] for key in from_reference)
    assert [key for key in keys if key[1] == "public" and key[3] in schemas] == []


def test_the_citus_layout_statements_follow_the_lists(towns):
    statements = citus_distribution_sql(sorted(town.schema_name for town in towns.values()))
    assert statements[0] == "SELECT create_reference_table('public.tenants_town');"
    assert f"SELECT citus_schema_distribute('{towns['ville-b'].schema_name}');" in statements


_TABLE_RE = re.compile(r'\b(?:FROM|JOIN|INTO|UPDATE)\s+"([^"]+)"(?:\."([^"]+)")?')


def _tables_named(sql: str) -> list[tuple[str | None, str]]:
    """(schema or None, table) of every table a statement reads or writes (Django quotes them)."""
    return [(first, second) if second else (None, first) for first, second in _TABLE_RE.findall(sql)]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_town_request_touches_its_own_schema_and_reference_tables_only(frozen, town, town_b, family, canteen,
                                                                         parent_client, staff_client):
    enrol(family.child, canteen, "2026-2027")
    own_tables = _tables(town.schema_name)
    others = _town_schemas() - {town.schema_name} | {"town_template"}

    # When a parent goes through the portal and the API, books a day, and a staff member opens the back office
    with CaptureQueriesContext(connection) as captured:
        answers = [parent_client.get(f"/ville-a/{page}") for page in (
            "", "reservations/", "mes-enfants/", "mon-profil/", "mes-factures/", "mes-documents/", "messagerie/",
            "api/v1/me/", "api/v1/children/", "api/v1/services/", "api/v1/bookings/week/", "api/v1/invoices/",
        )]
        answers.append(parent_client.post(
            "/ville-a/api/v1/bookings/set/", {"child": family.child.pk, "service": canteen.pk, "date": "2026-11-30"},
            content_type="application/json"))
        answers += [staff_client.get(f"/ville-a/gestion/{page}") for page in ("", "reservations/", "familles/")]
    assert [answer.status_code for answer in answers if answer.status_code >= 400] == []
    statements = [query["sql"] for query in captured.captured_queries]
    assert any('INSERT INTO "bookings_booking"' in sql for sql in statements)

    # Then no statement names another town's schema, and every table is the town's or a reference table
    assert [sql for sql in statements if any(schema in sql for schema in others)] == []
    strays = {
        (schema, table) for sql in statements for schema, table in _tables_named(sql)
        if not (schema in (None, town.schema_name) and table in own_tables)
        and not (schema in (None, "public") and table in REFERENCE_TABLES)
    }
    assert strays == set()


def test_every_town_table_has_a_primary_key_so_citus_can_move_the_schema(town_a):
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT t.tablename FROM pg_tables t
            WHERE t.schemaname = %s AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
                JOIN pg_namespace n ON n.oid = r.relnamespace
                WHERE c.contype = 'p' AND n.nspname = t.schemaname AND r.relname = t.tablename)
        """, [town_a.schema_name])
        assert cursor.fetchall() == []
    assert len(_tables(town_a.schema_name)) > 40
