"""Path routing: the first segment of the URL selects the town.

django-tenants' subfolder middleware insists on a non-empty prefix, so this one of ours
routes `/<ville>/...` to the town's schema and URLconf, serves `/` and the reserved
segments from the public schema, and resets everything after the response.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.urls import get_script_prefix, set_script_prefix

from .current import activate_public, activate_town
from .routing import resolve_slug
from .validators import RESERVED_SLUGS

PUBLIC_COOKIE_PATH = "/ops/"


class TownRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        previous_prefix = get_script_prefix()
        activate_public()
        try:
            return self._route(request)
        finally:
            activate_public()
            set_script_prefix(previous_prefix)

    def _route(self, request):
        segment, slash, rest = request.path_info.lstrip("/").partition("/")
        request.town = None
        request.town_prefix = ""
        if not segment or segment in RESERVED_SLUGS:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            return self.get_response(request)

        target = resolve_slug(segment)
        query = request.META.get("QUERY_STRING", "")
        suffix = f"?{query}" if query else ""
        if target.redirect_to:
            return HttpResponsePermanentRedirect(f"/{target.redirect_to}/{rest}{suffix}")
        town = target.town
        if town is None:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            return render(request, "tenants/unknown_town.html", {"slug": segment}, status=404)
        if not town.is_active:
            return render(request, "tenants/closed_town.html", {"closed_town": town}, status=410)
        if not slash:
            return HttpResponseRedirect(f"/{segment}/{suffix}")

        prefix = f"/{segment}"
        activate_town(town)
        request.town = town
        request.tenant = town  # django-tenants' name for it (its admin templates read it)
        request.town_prefix = prefix
        request.urlconf = settings.TOWN_URLCONF
        request.path_info = f"/{rest}"
        request.META["SCRIPT_NAME"] = prefix
        set_script_prefix(f"{prefix}/")
        return self.get_response(request)


class TownCookiePathMiddleware:
    """Scopes every cookie set during the request to the town's path (`/ops/` for public pages).

    Two towns open in one browser then never see each other's session or CSRF cookie.
    Placed above the session and CSRF middleware so it sees the cookies they set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        prefix = getattr(request, "town_prefix", "")
        path = f"{prefix}/" if prefix else PUBLIC_COOKIE_PATH
        for morsel in response.cookies.values():
            if morsel["path"] in ("", "/"):
                morsel["path"] = path
        return response
