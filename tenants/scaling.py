"""What the code promises so that the deployment can grow onto Citus (docs/scaling.md).

Each town's schema becomes a Citus distributed schema (all its tables on one node); the
public tables a town request reads become reference tables (a copy on every node). The
other public tables (operators' accounts, sessions, login throttling, job results) stay on
the coordinator: only the operators' console and provisioning use them, never a town.
tests/test_scaling_constraints.py holds the code to these lists.
"""

# Public tables that town requests and jobs may read or join: small, written rarely. In the
# order Citus needs them (a reference table's foreign keys point at reference tables made before).
REFERENCE_TABLES = (
    "tenants_town",
    "tenants_townslugredirect",
    "tenants_domain",
    "payments_paymentproviderconfig",
)


def citus_distribution_sql(town_schemas: list[str]) -> list[str]:
    """The statements that turn this database into a Citus coordinator's layout (docs/scaling.md)."""
    statements = [f"SELECT create_reference_table('public.{table}');" for table in REFERENCE_TABLES]
    statements += [f"SELECT citus_schema_distribute('{schema}');" for schema in town_schemas]
    return statements
