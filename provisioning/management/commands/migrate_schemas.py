"""django-tenants' migrate_schemas, plus the template schema new towns are cloned from.

Towns are migrated in parallel (multiprocessing executor) unless told otherwise.
"""

import os

from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        if not options.get("executor"):
            options["executor"] = os.environ.get("EXECUTOR", "multiprocessing")
        whole_database = not options.get("schema_name")
        super().handle(*args, **options)
        if whole_database and self.sync_tenant:
            from provisioning.services import template_schema_ensure

            template_schema_ensure(force_migrate=True)
