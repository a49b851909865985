"""API routes of the services app, mounted under /<ville>/api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("services/", views.ServiceListView.as_view(), name="api-services"),
]
