"""The town the current request or job runs in, and its clock.

django-tenants keeps the active town on the database connection (`connection.tenant`,
`connection.schema_name`, `set_tenant()`), attributes its backend adds at run time that the
stubs do not know. This module is the one typed way to read and switch them, and the one
place that says what "today" is: the town's day in the town's time zone.

It imports no model at run time: the worker middleware loads it while apps are still loading.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING, Protocol, cast

from django.db import connection
from django.utils import timezone
from django_tenants.utils import get_tenant_model

if TYPE_CHECKING:
    from .models import Town


class _TenantConnection(Protocol):
    """What django-tenants' PostgreSQL backend adds to the connection."""

    tenant: object  # a Town, or a FakeTenant (a bare schema name) under schema_context()
    schema_name: str

    def set_tenant(self, tenant: Town, include_public: bool = True) -> None: ...

    def set_schema_to_public(self) -> None: ...


# The proxy forwards to the running thread's connection, so one cast serves every thread.
_db = cast(_TenantConnection, connection)


class NoTownActive(RuntimeError):
    """Town-only code ran outside any town (a programming error, never a user's)."""


def current_schema() -> str:
    """The schema the connection points at ("public" outside a town)."""
    return _db.schema_name


def current_town() -> Town | None:
    """The town being served, or None in the public schema (or a bare `schema_context`)."""
    tenant = _db.tenant
    return tenant if isinstance(tenant, get_tenant_model()) else None


def require_town() -> Town:
    """The town being served, for code that only makes sense inside one (town pages, jobs)."""
    town = current_town()
    if town is None:
        raise NoTownActive(f"no town is active (schema {current_schema()!r})")
    return town


def town_zone() -> zoneinfo.ZoneInfo:
    """The current town's time zone; the platform's default outside a town."""
    town = current_town()
    return town.zoneinfo if town is not None else timezone.get_default_timezone()


def town_now() -> dt.datetime:
    """Now, as an aware datetime in the town's time zone."""
    return timezone.localtime(timezone.now(), town_zone())


def town_today() -> dt.date:
    """Today in the town: the calendar day its families live, whatever the server's zone."""
    return timezone.localdate(timezone=town_zone())


def activate_town(town: Town) -> None:
    """Serve `town`: its schema on the connection, its time zone for dates and templates."""
    _db.set_tenant(town)
    timezone.activate(town.zoneinfo)


def activate_public() -> None:
    """Back to the public schema and the default time zone (after a request or a job)."""
    _db.set_schema_to_public()
    timezone.deactivate()
