"""Spare schemas for benchmarks, by the hundred: copies of one spare made by migration.

In production a worker makes each spare by migration, off the request path (seconds each).
A benchmark that needs hundreds of towns cannot wait for that, so it migrates one spare, dumps
it (pg_dump, schema and rows) and replays the dump under new names: the same tables, indexes,
constraints and migration history, registered in the pool at the code's migration state. Town
creation then claims them exactly as it claims a worker's spares.
"""

import secrets
import subprocess

import psycopg
from django.conf import settings

from provisioning.migration_state import code_state, schemas_at_code_state
from provisioning.models import SpareSchema
from provisioning.services import _pg_dump_binary
from provisioning.spares import SPARE_PREFIX, spare_pool_refill
from tenants.current import activate_public


def _conninfo() -> dict:
    db = settings.DATABASES["default"]
    return {"host": db.get("HOST") or None, "port": db.get("PORT") or None, "user": db.get("USER") or "postgres",
            "password": db.get("PASSWORD") or None, "dbname": db["NAME"]}


class SpareCopier:
    """Dump one spare made by migration; `make()` registers a copy of it in the pool."""

    def __init__(self) -> None:
        activate_public()
        spare_pool_refill(size=max(1, SpareSchema.objects.count()))
        model = SpareSchema.objects.filter(migration_state=code_state()).order_by("id").first()
        assert model is not None and schemas_at_code_state([model.schema_name]), "no spare at the code's state"
        self.model = model.schema_name
        info = _conninfo()
        command = [_pg_dump_binary(), "--no-owner", "--no-privileges", "--inserts", f"--schema={self.model}",
                   f"--dbname={info['dbname']}", f"--username={info['user']}"]
        if info["host"]:
            command.append(f"--host={info['host']}")
        if info["port"]:
            command.append(f"--port={info['port']}")
        env = {"PGPASSWORD": info["password"] or "", "PATH": "/usr/bin:/bin"}
        dump = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout  # noqa: S603
        # psql meta-commands (\restrict …) are not SQL, and a newer pg_dump sets what an older server lacks.
        self.script = "\n".join(line for line in dump.splitlines()
                                if not line.startswith(("\\", "SET transaction_timeout")))
        self.connection = psycopg.connect(**{k: v for k, v in info.items() if v is not None})

    def make(self) -> str:
        name = f"{SPARE_PREFIX}{secrets.token_hex(6)}"
        with self.connection.transaction(), self.connection.cursor() as cursor:
            cursor.execute(self.script.replace(self.model, name).encode())
            cursor.execute("INSERT INTO public.provisioning_spareschema (schema_name, migration_state, created_at,"
                           " migrated_at) VALUES (%s, %s, now(), now())", [name, code_state()])
        return name

    def close(self) -> None:
        self.connection.close()
