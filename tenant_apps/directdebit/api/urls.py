"""API routes of direct debit, mounted under /<ville>/api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("direct-debit/mandate/", views.HouseholdMandateView.as_view(), name="api-direct-debit-mandate"),
    path("direct-debit/mandates/", views.StaffMandateListView.as_view(), name="api-direct-debit-mandates"),
    path("direct-debit/mandates/<int:mandate_id>/validate/", views.StaffMandateValidateView.as_view(),
         name="api-direct-debit-mandate-validate"),
    path("direct-debit/mandates/<int:mandate_id>/refuse/", views.StaffMandateRefuseView.as_view(),
         name="api-direct-debit-mandate-refuse"),
]
