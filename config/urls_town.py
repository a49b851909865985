"""URLs of one town, mounted under `/<ville>/` by the routing middleware."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from tenant_apps.core.admin_site import town_admin_site

api_v1: list[URLPattern | URLResolver] = [
    path("", include("tenant_apps.accounts.api.urls")),
    path("", include("tenant_apps.families.api.urls")),
    path("", include("tenant_apps.catalog.api.urls")),
    path("", include("tenant_apps.bookings.api.urls")),
    path("", include("tenant_apps.billing.api.urls")),
    path("", include("tenant_apps.documents.api.urls")),
    path("", include("tenant_apps.messaging.api.urls")),
    path("", include("tenant_apps.accounting.api.urls")),
    path("", include("tenant_apps.directdebit.api.urls")),
    path("", include("tenant_apps.portal.api.urls")),
    path("", include("tenant_apps.calendarfeed.api.urls")),
    path("", include("tenant_apps.backoffice.api_urls")),
    # The generator reads ROOT_URLCONF (the public one) unless told: point it at the town URLs.
    path("schema/", SpectacularAPIView.as_view(urlconf="config.urls_town"), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", include("tenant_apps.portal.urls")),
    path("", include("tenant_apps.accounts.urls")),
    path("", include("tenant_apps.families.urls")),
    path("", include("tenant_apps.catalog.urls")),
    path("", include("tenant_apps.bookings.urls")),
    path("", include("tenant_apps.billing.urls")),
    path("", include("tenant_apps.documents.urls")),
    path("", include("tenant_apps.messaging.urls")),
    path("", include("tenant_apps.calendarfeed.urls")),
    path("", include("tenant_apps.directdebit.urls")),
    path("gestion/", include("tenant_apps.backoffice.urls")),
    path("gestion/portail/", include("tenant_apps.portal.staff_urls")),
    path("gestion/familles/", include("tenant_apps.families.staff_urls")),
    # Closing days cancels bookings, so the screen is the bookings app's, at its place among the services'.
    path("gestion/prestations/fermetures/", include("tenant_apps.bookings.closure_urls")),
    path("gestion/prestations/", include("tenant_apps.catalog.staff_urls")),
    path("gestion/reservations/", include("tenant_apps.bookings.staff_urls")),
    path("gestion/facturation/", include("tenant_apps.billing.staff_urls")),
    path("gestion/comptabilite/", include("tenant_apps.accounting.staff_urls")),
    path("gestion/documents/", include("tenant_apps.documents.staff_urls")),
    path("gestion/messagerie/", include("tenant_apps.messaging.staff_urls")),
    path("gestion/prelevements/", include("tenant_apps.directdebit.staff_urls")),
    path("gestion/admin/", town_admin_site.urls),
    path("api/v1/", include(api_v1)),
]

handler400 = "tenants.views.bad_request"
handler404 = "tenant_apps.portal.views.not_found"
handler500 = "tenants.views.server_error"
