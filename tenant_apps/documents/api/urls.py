"""API routes of the documents app, mounted under /<ville>/api/v1/."""

from django.urls import path

from .views import DocumentDownloadView, DocumentListView

urlpatterns = [
    path("documents/", DocumentListView.as_view(), name="api-documents"),
    path("documents/<int:pk>/download/", DocumentDownloadView.as_view(), name="api-document-download"),
]
