"""django-tenants' PostgreSQL backend, with the town's `search_path` sent only when it matters.

Two modes, chosen by `DATABASE_POOLER` (settings: `DATABASES["default"]["POOLER"]`):

- **direct** (no pooler, the default): the connection is the server session, so a session-level
  `SET search_path` holds until changed. django-tenants forgets what it sent each time a tenant
  is activated — the routing middleware activates public, then the town, then public again on
  every request — so with TENANT_LIMIT_SET_CALLS it still sent `SET search_path` on every
  request. Here the value last sent on this connection is kept across activations and the `SET`
  goes out only when the wanted path differs (a rollback, a savepoint rollback or a reconnection
  forgets it, since each may undo it).
- **pgbouncer** (transaction pooling): consecutive transactions of one Django connection may run
  on different server sessions, so a session-level setting would leak between towns. Every
  transaction starts with `SET LOCAL search_path` (gone at its end): inside an atomic block, the
  first statement of the transaction, and again whenever the town changes within it; a
  statement run in autocommit is wrapped in `BEGIN; SET LOCAL …; <statement>; COMMIT`, so no
  statement ever runs on a server session whose `search_path` this process did not set in the
  same transaction.
"""

from __future__ import annotations

from typing import Any

from django.utils.asyncio import async_unsafe
from django_tenants.postgresql_backend import base as tenants_base
from django_tenants.utils import get_limit_set_calls, quote_schema_name
from psycopg import pq

DatabaseError = tenants_base.DatabaseError
IntegrityError = tenants_base.IntegrityError

POOLERS = ("", "pgbouncer")


class DatabaseWrapper(tenants_base.DatabaseWrapper):
    search_path_set_schemas: list[str] | None
    _setting_search_path: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._transaction_search_path: str | None = None
        self._search_path_sql: dict[tuple[str, bool], tuple[list[str], str]] = {}
        super().__init__(*args, **kwargs)
        pooler = self.settings_dict.get("POOLER") or ""
        if pooler not in POOLERS:
            raise ValueError(f"Unknown DATABASE_POOLER {pooler!r}: one of {POOLERS}")
        self.pooled = pooler == "pgbouncer"

    # --- what to send -----------------------------------------------------------------------

    def _wanted_search_path(self) -> tuple[list[str], str]:
        """The schemas of the active tenant and the `SET` naming them (validated once per schema)."""
        key = (self.schema_name, self.include_public_schema)
        known = self._search_path_sql.get(key)
        if known is None:
            paths = self._get_cursor_search_paths()
            known = (paths, "search_path = " + ",".join(quote_schema_name(s) for s in paths))
            if len(self._search_path_sql) > 1000:  # a worker serving many towns: stay bounded
                self._search_path_sql.clear()
            self._search_path_sql[key] = known
        return known

    # --- direct mode: a session-level SET, only when the wanted path changes -------------------

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        sent = self.search_path_set_schemas
        super().set_tenant(tenant, include_public)
        # django-tenants forgets what the session has on every activation; the session has not.
        self.search_path_set_schemas = sent

    def _handle_search_path(self, cursor: Any = None) -> None:
        if self.pooled or self._setting_search_path:
            return  # pgbouncer: set per transaction, when a statement runs (see _PooledCursor)
        paths, assignment = self._wanted_search_path()
        if get_limit_set_calls() and self.search_path_set_schemas == paths:
            return
        self._setting_search_path = True
        target = self.connection.cursor() if cursor is None else cursor
        try:
            target.execute(f"SET {assignment}")
        except (tenants_base.DatabaseError, tenants_base.psycopg.InternalError):
            self.search_path_set_schemas = None
        else:
            self.search_path_set_schemas = paths
        finally:
            self._setting_search_path = False
            if cursor is None:
                target.close()

    # --- pgbouncer mode: SET LOCAL in every transaction -----------------------------------------

    @async_unsafe
    def create_cursor(self, name: str | None = None) -> Any:
        cursor = super().create_cursor(name)
        if self.pooled:
            if name:
                raise tenants_base.ImproperlyConfigured(
                    "Server-side cursors cannot work through a transaction pooler: "
                    "DISABLE_SERVER_SIDE_CURSORS must be on with DATABASE_POOLER=pgbouncer.")
            return _PooledCursor(cursor, self)
        return cursor

    def _run_in_town(self, cursor: Any, method: str, args: tuple, kwargs: dict) -> Any:
        raw = self.connection
        _paths, assignment = self._wanted_search_path()
        if raw.autocommit:
            with raw.transaction():
                cursor.execute(f"SET LOCAL {assignment}")
                return getattr(cursor, method)(*args, **kwargs)
        status = raw.info.transaction_status
        if status == pq.TransactionStatus.IDLE or self._transaction_search_path != assignment:
            if status != pq.TransactionStatus.INERROR:
                cursor.execute(f"SET LOCAL {assignment}")
                self._transaction_search_path = assignment
        return getattr(cursor, method)(*args, **kwargs)

    def _forget_transaction_search_path(self) -> None:
        self._transaction_search_path = None

    @async_unsafe
    def commit(self) -> None:
        self._forget_transaction_search_path()
        super().commit()

    @async_unsafe
    def rollback(self) -> None:
        self._forget_transaction_search_path()
        super().rollback()

    @async_unsafe
    def savepoint_rollback(self, sid: str) -> None:
        try:
            super().savepoint_rollback(sid)
        finally:
            # ROLLBACK TO SAVEPOINT undoes a SET LOCAL sent after the savepoint.
            self._forget_transaction_search_path()

    def _set_autocommit(self, autocommit: bool) -> None:
        self._forget_transaction_search_path()
        super()._set_autocommit(autocommit)

    def close(self) -> None:
        self._forget_transaction_search_path()
        super().close()


class _PooledCursor:
    """A psycopg cursor whose statements each run in a transaction that set the town's schema."""

    def __init__(self, cursor: Any, db: DatabaseWrapper) -> None:
        self._cursor = cursor
        self._db = db

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        self._db._run_in_town(self._cursor, "execute", args, kwargs)
        return self

    def executemany(self, *args: Any, **kwargs: Any) -> Any:
        self._db._run_in_town(self._cursor, "executemany", args, kwargs)
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def __iter__(self) -> Any:
        return iter(self._cursor)

    def __enter__(self) -> _PooledCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._cursor.close()
