"""API routes of the accounts app (the family record and others add theirs beside)."""

from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("auth/token/", views.AuthTokenView.as_view(), name="api-auth-token"),
]
