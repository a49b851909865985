"""Error answers shared by every town and the public site: French pages, JSON under `api/`."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from .api import bad_request_data, request_too_large_data


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def csrf_failure(request, reason=""):
    return render(request, "tenants/csrf_failure.html", status=403)


def bad_request(request, exception=None):
    """Django's 400 outside DRF's views (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields…)
    and the refusals of RequestLimitsMiddleware: 413 for a body too large, 400 otherwise."""
    too_large = isinstance(exception, RequestDataTooBig)
    status = 413 if too_large else 400
    if _is_api(request):
        return JsonResponse(request_too_large_data() if too_large else bad_request_data(), status=status)
    template = "tenants/request_too_large.html" if too_large else "tenants/bad_request.html"
    return render(request, template, status=status)


def server_error(request):
    """API clients get a 500 in the API's error shape too (a 500 is a bug, but a parseable one)."""
    if _is_api(request):
        return JsonResponse({"code": "server_error", "detail": _("Erreur interne du serveur.")}, status=500)
    return defaults.server_error(request)
