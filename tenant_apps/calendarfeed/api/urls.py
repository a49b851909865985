"""API route of the household's calendar address, mounted under /<ville>/api/v1/."""

from django.urls import path

from .views import CalendarFeedView

urlpatterns = [
    path("calendar-feed/", CalendarFeedView.as_view(), name="api-calendar-feed"),
]
