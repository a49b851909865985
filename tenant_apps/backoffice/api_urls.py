"""API routes of the back office, mounted under /<ville>/api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("staff/setup-checklist/", api.SetupChecklistView.as_view(), name="api-staff-checklist"),
    path("staff/invitations/", api.InvitationBatchListView.as_view(), name="api-staff-invitations"),
    path("staff/invitations/<int:batch_id>/", api.InvitationBatchDetailView.as_view(), name="api-staff-invitation"),
]
