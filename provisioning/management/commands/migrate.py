from .migrate_schemas import Command  # noqa: F401 - `migrate` migrates the public schema, towns and template
