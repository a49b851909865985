"""API routes of the bookings app, mounted under /<ville>/api/v1/."""

from django.urls import path

from . import register_views, views

urlpatterns = [
    path("bookings/week/", views.WeekView.as_view(), name="api-bookings-week"),
    path("bookings/set/", views.BookingSetView.as_view(), name="api-bookings-set"),
    path("bookings/unset/", views.BookingUnsetView.as_view(), name="api-bookings-unset"),
    path("bookings/bulk/preview/", views.BulkPreviewView.as_view(), name="api-bookings-bulk-preview"),
    path("bookings/bulk/apply/", views.BulkApplyView.as_view(), name="api-bookings-bulk-apply"),
    path("bookings/absences/", register_views.AbsencesView.as_view(), name="api-bookings-absences"),
    path("staff/register/", register_views.RegisterView.as_view(), name="api-register"),
    path("staff/register/tap/", register_views.RegisterTapView.as_view(), name="api-register-tap"),
    path("staff/register/all-present/", register_views.RegisterAllPresentView.as_view(),
         name="api-register-all-present"),
]
