"""Cached lookup of the first path segment: a town, an old slug to redirect, or nothing.

Two levels: a short in-process cache (LOCAL_SECONDS, a plain dict: no round trip at all) in front
of the shared cache (CACHE_SECONDS, Redis in production). Renaming, archiving or creating a town
forgets the slugs in both — in the shared cache for everyone, in the local one only in the process
that made the change: another web process or worker may still route by the old entry for at most
LOCAL_SECONDS (the staleness bound stated in the README).

The cache only saves a query: when it is unreachable, a read is a miss and a write is
skipped, so the towns keep answering from the database through a cache outage.
"""

import logging
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django_tenants.utils import schema_context

from .models import Town, TownSlugRedirect
from .validators import RESERVED_SLUGS

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300
# In-process: how long a web process may route by what it read, whatever changed elsewhere.
LOCAL_SECONDS = 5.0
LOCAL_MAX_ENTRIES = 4096
_local: dict[str, tuple[float, "SlugTarget"]] = {}
_clock = time.monotonic
# A dead cache would log on every request; one warning per process and per minute says it.
OUTAGE_LOG_SECONDS = 60
_last_outage_log = 0.0


@dataclass(frozen=True)
class SlugTarget:
    town: Town | None = None
    redirect_to: str | None = None


_MISSING = SlugTarget()


def _cache_key(slug: str) -> str:
    return f"town-slug:{slug}"


def _log_outage(operation: str) -> None:
    global _last_outage_log
    now = time.monotonic()
    if now - _last_outage_log >= OUTAGE_LOG_SECONDS:
        _last_outage_log = now
        logger.warning("Cache unreachable (%s): town lookups go to the database.", operation, exc_info=True)


def _cached(key: str) -> Any:
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - whatever the backend raises, a miss
        _log_outage("get")
        return None


def _remember(key: str, value: Any, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001
        _log_outage("set")


def _forget(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001
        # If the cache comes back with its data, these entries expire within CACHE_SECONDS.
        logger.error("Cache unreachable: could not forget %s; stale for at most %s s.", keys, CACHE_SECONDS,
                     exc_info=True)


def resolve_slug(slug: str) -> SlugTarget:
    """What the first path segment points at; cached in the public schema's key space."""
    if slug in RESERVED_SLUGS:
        return _MISSING
    now = _clock()
    local = _local.get(slug)
    if local is not None and local[0] > now:
        return local[1]
    with schema_context("public"):
        key = _cache_key(slug)
        target = _cached(key)
        if target is None:
            target = _lookup(slug)
            _remember(key, target, CACHE_SECONDS)
    if len(_local) >= LOCAL_MAX_ENTRIES:
        _local.clear()
    _local[slug] = (now + LOCAL_SECONDS, target)
    return target


def forget_local() -> None:
    """Empty this process's cache of slugs (tests; the shared cache is untouched)."""
    _local.clear()


def _lookup(slug: str) -> SlugTarget:
    town = Town.objects.filter(slug=slug).first()
    if town is not None:
        return SlugTarget(town=town)
    redirect = TownSlugRedirect.objects.select_related("town").filter(old_slug=slug).first()
    if redirect is not None:
        return SlugTarget(redirect_to=redirect.town.slug)
    return _MISSING


def forget_slugs(*slugs: str) -> None:
    """Drop cached lookups after a town is created, renamed or archived (here and in the shared cache)."""
    for slug in slugs:
        _local.pop(slug, None)
    with schema_context("public"):
        _forget([_cache_key(s) for s in slugs])


def _schema_key(schema_name: str) -> str:
    return f"town-schema:{schema_name}"


def town_by_schema(schema_name: str) -> Town | None:
    """The town whose schema is `schema_name` (the worker's lookup); cached for a minute."""
    with schema_context("public"):
        key = _schema_key(schema_name)
        town = _cached(key)
        if town is None:
            town = Town.objects.filter(schema_name=schema_name).first()
            if town is None:
                return None
            _remember(key, town, 60)
        return town


def forget_schema(schema_name: str) -> None:
    with schema_context("public"):
        _forget([_schema_key(schema_name)])
