"""django-tenants' migrate_schemas, less the towns already migrated, plus the spare schemas.

Before loading any town's migration history, one catalogue query finds the towns whose
`django_migrations` already holds every migration of the code; only the others are migrated
(in parallel, multiprocessing executor, unless told otherwise). `--every-town` migrates them
all, as django-tenants does. A run over the whole database then migrates the spare schemas
behind the code and tops the pool up (`provisioning.spares`).
"""

import os
import time

from django_tenants.management.commands import SyncCommon
from django_tenants.management.commands.migrate_schemas import (
    GET_EXECUTOR_FUNCTION,
    MigrateSchemasCommand,
)
from django_tenants.utils import (
    get_public_schema_name,
    get_tenant_migration_order,
    has_multi_type_tenants,
)

# Options under which a town at the code's state may still have something to do.
_NEEDS_EVERY_TOWN = ("app_label", "migration_name", "fake", "fake_initial", "prune", "run_syncdb", "plan",
                     "every_town")


class Command(MigrateSchemasCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--every-town", action="store_true", dest="every_town",
                            help="migrate every town, even those whose schema holds every migration already")

    def handle(self, *args, **options):
        if not options.get("executor"):
            options["executor"] = os.environ.get("EXECUTOR", "multiprocessing")
        whole_database = not options.get("schema_name")
        if whole_database and not has_multi_type_tenants() and not any(options.get(k) for k in _NEEDS_EVERY_TOWN):
            self._migrate_towns_behind(*args, **options)
        else:
            super().handle(*args, **options)
        if whole_database and self.sync_tenant and not options.get("plan"):
            from provisioning.spares import spare_pool_refill

            spare_pool_refill()

    def _migrate_towns_behind(self, *args, **options):
        """MigrateSchemasCommand.handle for the whole database, without the towns at the code's state."""
        from provisioning.migration_state import schemas_behind
        from tenants.current import activate_public
        from tenants.models import Town

        SyncCommon.handle(self, *args, **options)
        public = get_public_schema_name()
        executor = GET_EXECUTOR_FUNCTION(codename=self.executor)(self.args, self.options)
        if self.sync_public:
            executor.run_migrations(tenants=[public])
        if not self.sync_tenant:
            return
        activate_public()
        started = time.perf_counter()
        towns = Town.objects.exclude(schema_name=public)
        order = get_tenant_migration_order()
        towns = towns.order_by(*order) if order is not None else towns.order_by("pk")
        schemas = list(towns.values_list("schema_name", flat=True))
        behind = schemas_behind(schemas)
        if int(options.get("verbosity", 1)) >= 1:
            self.stdout.write(
                f"{len(schemas) - len(behind)} of {len(schemas)} towns already hold every migration (skipped,"
                f" checked in {time.perf_counter() - started:.2f} s); migrating {len(behind)}."
            )
        if behind:
            executor.run_migrations(tenants=behind)
