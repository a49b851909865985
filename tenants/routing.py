"""Cached lookup of the first path segment: a town, an old slug to redirect, or nothing."""

from dataclasses import dataclass

from django.core.cache import cache
from django_tenants.utils import schema_context

from .models import Town, TownSlugRedirect
from .validators import RESERVED_SLUGS

CACHE_SECONDS = 300


@dataclass(frozen=True)
class SlugTarget:
    town: Town | None = None
    redirect_to: str | None = None


_MISSING = SlugTarget()


def _cache_key(slug: str) -> str:
    return f"town-slug:{slug}"


def resolve_slug(slug: str) -> SlugTarget:
    """What the first path segment points at; cached in the public schema's key space."""
    if slug in RESERVED_SLUGS:
        return _MISSING
    with schema_context("public"):
        key = _cache_key(slug)
        target = cache.get(key)
        if target is None:
            target = _lookup(slug)
            cache.set(key, target, CACHE_SECONDS)
    return target


def _lookup(slug: str) -> SlugTarget:
    town = Town.objects.filter(slug=slug).first()
    if town is not None:
        return SlugTarget(town=town)
    redirect = TownSlugRedirect.objects.select_related("town").filter(old_slug=slug).first()
    if redirect is not None:
        return SlugTarget(redirect_to=redirect.town.slug)
    return _MISSING


def forget_slugs(*slugs: str) -> None:
    """Drop cached lookups after a town is created, renamed or archived."""
    with schema_context("public"):
        cache.delete_many([_cache_key(s) for s in slugs])


def town_by_schema(schema_name: str) -> Town | None:
    with schema_context("public"):
        key = f"town-schema:{schema_name}"
        town = cache.get(key)
        if town is None:
            town = Town.objects.filter(schema_name=schema_name).first()
            if town is None:
                return None
            cache.set(key, town, 60)
        return town


def forget_schema(schema_name: str) -> None:
    with schema_context("public"):
        cache.delete(f"town-schema:{schema_name}")
