"""Public pages: the landing page listing the towns, and the load balancer's health check."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tenants.models import Town

from . import health


def landing(request):
    towns = Town.objects.filter(status=Town.Status.ACTIVE, opened_at__isnull=False).order_by("name").only("name", "slug")
    return render(request, "console/landing.html", {"towns": towns})


@never_cache
def healthz(request):
    checks = {"database": health.database_ok(), "broker": health.broker_ok(), "cache": health.cache_ok()}
    ok = all(checks.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503)
