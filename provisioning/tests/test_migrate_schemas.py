"""`migrate_schemas` leaves alone the towns already at the code's migration state.

One catalogue query tells which towns' `django_migrations` hold every migration on disk;
only the others are migrated, so a no-op run over a large fleet costs one query, not a
migration history loaded per town.
"""

import io

from django.core.management import call_command
from django.db import connection

from provisioning.migration_state import code_migrations, schemas_at_code_state, schemas_behind
from tenants.current import activate_public

# A last migration of a public-schema app: recorded in every town, with nothing to do there, so
# a town without it is behind the code and migrating it again is harmless.
NO_OP_LEAF = ("provisioning", "0001_initial")


def _forget_migration(schema: str, app: str, name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', [app, name])


def test_the_catalogue_query_tells_towns_at_the_codes_state_from_those_behind(towns, live_db):
    ville_a, ville_b = towns["ville-a"].schema_name, towns["ville-b"].schema_name
    assert NO_OP_LEAF in code_migrations()
    try:
        _forget_migration(ville_b, *NO_OP_LEAF)
        assert schemas_at_code_state([ville_a, ville_b, "public_not_a_schema"]) == {ville_a}
        assert schemas_behind([ville_b, ville_a]) == [ville_b]
    finally:
        call_command("migrate_schemas", schema_name=ville_b, tenant=True, interactive=False, verbosity=0,
                     executor="standard")
        activate_public()
    assert schemas_behind([ville_a, ville_b]) == []


def test_a_no_op_migrate_skips_towns_at_the_codes_state_and_migrates_a_town_behind(towns, live_db, capfd):
    # Given Ville-B behind the code by one migration
    ville_a, ville_b = towns["ville-a"].schema_name, towns["ville-b"].schema_name
    _forget_migration(ville_b, *NO_OP_LEAF)

    # When the operator migrates the whole database
    out = io.StringIO()
    call_command("migrate_schemas", interactive=False, executor="standard", stdout=out)
    activate_public()

    # Then only Ville-B was migrated: Ville-A's history was not even loaded
    output = out.getvalue() + capfd.readouterr().out
    assert f"standard:{ville_b}] === Starting migration" in output
    assert f"{ville_a}]" not in output
    assert "towns already hold every migration (skipped" in output
    assert "migrating 1." in output
    assert schemas_behind([ville_a, ville_b]) == []
