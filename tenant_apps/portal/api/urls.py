"""API routes of the parents' portal home, mounted under /<ville>/api/v1/."""

from django.urls import path

from .views import DashboardView

urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="api-dashboard"),
]
