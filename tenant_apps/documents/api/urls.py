"""API routes of the documents app, mounted under /<ville>/api/v1/.

The home dashboard's endpoint (tenant_apps.portal) is routed here too: the portal app has
no API mount of its own in config/urls_town.py.
"""

from django.urls import path

from tenant_apps.portal.api.views import DashboardView

from .views import DocumentDownloadView, DocumentListView

urlpatterns = [
    path("documents/", DocumentListView.as_view(), name="api-documents"),
    path("documents/<int:pk>/download/", DocumentDownloadView.as_view(), name="api-document-download"),
    path("dashboard/", DashboardView.as_view(), name="api-dashboard"),
]
