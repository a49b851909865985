"""URLs of the public schema: landing page, health check, operators' console."""

from django.urls import path

from shared_apps.console.admin import ops_site
from shared_apps.console.views import healthz, landing
from tenants.observability import metrics

urlpatterns = [
    path("", landing, name="landing"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),  # Prometheus, METRICS_TOKEN bearer only
    path("ops/", ops_site.urls),
]

handler400 = "tenants.views.bad_request"
