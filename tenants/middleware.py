"""Path routing: the first segment of the URL selects the town.

django-tenants' subfolder middleware insists on a non-empty prefix, so this one of ours
routes `/<ville>/...` to the town's schema and URLconf, serves `/` and the reserved
segments from the public schema, and resets everything after the response.
"""

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.urls import get_script_prefix, set_script_prefix, set_urlconf

from .current import activate_public, activate_town
from .routing import SlugTarget, resolve_slug
from .validators import RESERVED_SLUGS, SLUG_RE
from .views import bad_request

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

        # Only a slug-shaped segment can name a town: anything else (a NUL byte, a space, capitals)
        # is unknown without asking the cache or the database, which refuse some of it.
        target = resolve_slug(segment) if SLUG_RE.fullmatch(segment) else SlugTarget()
        query = request.META.get("QUERY_STRING", "")
        suffix = f"?{query}" if query else ""
        if target.redirect_to:
            # 308 for anything but a read: the client repeats the same method with the same
            # body (a payment provider's POST notification to the old address is not lost).
            redirect = HttpResponsePermanentRedirect if request.method in ("GET", "HEAD") else PermanentRedirect308
            return redirect(f"/{target.redirect_to}/{rest}{suffix}")
        town = target.town
        if town is None:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            return render(request, "tenants/unknown_town.html", {"slug": _printable(segment)}, status=404)
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


class PermanentRedirect308(HttpResponsePermanentRedirect):
    status_code = 308


def _printable(text: str) -> str:
    return "".join(char for char in text if char.isprintable())


class RequestLimitsMiddleware:
    """Refuses, before anything reads it, a request no view should see, as Django's 400 handler
    does (the API's error shape under `api/`, the French page elsewhere):

    - a declared body over REQUEST_MAX_BYTES, files included: 413. Django itself only bounds
      the part kept in memory (DATA_UPLOAD_MAX_MEMORY_SIZE); files would be streamed to disk
      whatever their size;
    - a NUL byte in the query string of a page: 400. PostgreSQL refuses it in a query, so every
      search given one would be a 500. (The API's views validate their parameters with
      serializers, which refuse it, once the caller is authenticated: 401 comes first.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        if refusal is not None:
            # Django sets the request's URLconf only once every middleware has let it through;
            # the page links into the town (reset when the request finishes).
            set_urlconf(getattr(request, "urlconf", None))
            return bad_request(request, refusal)
        return self.get_response(request)

    def _refusal(self, request) -> Exception | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return RequestDataTooBig("Request body exceeded settings.REQUEST_MAX_BYTES.")
        if not request.path_info.startswith("/api/") and any(
                "\x00" in text for key, values in request.GET.lists() for text in (key, *values)):
            return BadRequest("NUL byte in the query string.")
        return None


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
