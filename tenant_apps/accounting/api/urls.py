"""API routes of the accounting app, mounted under /<ville>/api/v1/ (staff only)."""

from django.urls import path

from . import views

urlpatterns = [
    path("accounting/exports/", views.ExportListView.as_view(), name="api-accounting-exports"),
    path("accounting/exports/<int:record_id>/", views.ExportDetailView.as_view(), name="api-accounting-export"),
    path("accounting/exports/<int:record_id>/file/", views.ExportFileView.as_view(),
         name="api-accounting-export-file"),
]
