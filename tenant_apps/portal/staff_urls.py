"""Staff (gestionnaire) screen of the portal app, mounted under /<ville>/gestion/portail/."""

from django.urls import path

from . import staff_views

app_name = "portal_staff"

urlpatterns = [
    path("", staff_views.profile_edit, name="profile"),
]
