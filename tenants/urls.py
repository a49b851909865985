"""Absolute addresses inside a town, for e-mails and jobs that run outside a request."""

from django.conf import settings
from django.urls import get_script_prefix, reverse, set_script_prefix


def town_url(town, viewname: str, *, args=None, kwargs=None, absolute: bool = True) -> str:
    previous = get_script_prefix()
    set_script_prefix(f"/{town.slug}/")
    try:
        path = reverse(viewname, urlconf=settings.TOWN_URLCONF, args=args, kwargs=kwargs)
    finally:
        set_script_prefix(previous)
    return f"{settings.PUBLIC_BASE_URL}{path}" if absolute else path
