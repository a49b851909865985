"""The pool of spare town schemas (public schema).

A spare is a schema already migrated to the code's migration state, waiting to become a
town: creating a town renames one (`ALTER SCHEMA … RENAME`) instead of migrating or cloning.
Spares have no `Town` row, so routing and jobs never see them.
"""

from django.db import models


class SpareSchema(models.Model):
    schema_name = models.CharField(max_length=63, unique=True)
    # Fingerprint of the code's migrations the schema is known to hold ("" while it is migrated).
    migration_state = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    migrated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.schema_name
