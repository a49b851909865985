"""API routes of the families app, mounted under /<ville>/api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("household/", views.HouseholdView.as_view(), name="api-household"),
    path("guardians/", views.GuardianListView.as_view(), name="api-guardians"),
    path("guardians/<int:guardian_id>/", views.GuardianView.as_view(), name="api-guardian"),
    path("children/", views.ChildListView.as_view(), name="api-children"),
    path("children/<int:child_id>/", views.ChildView.as_view(), name="api-child"),
    path("children/<int:child_id>/allergies/", views.AllergyListView.as_view(), name="api-child-allergies"),
    path("children/<int:child_id>/allergies/<int:allergy_id>/", views.AllergyView.as_view(), name="api-child-allergy"),
    path("children/<int:child_id>/vaccines/", views.VaccineListView.as_view(), name="api-child-vaccines"),
    path("children/<int:child_id>/vaccines/<int:vaccine_id>/", views.VaccineView.as_view(), name="api-child-vaccine"),
    path("children/<int:child_id>/emergency-contacts/", views.EmergencyContactListView.as_view(),
         name="api-child-emergency-contacts"),
    path("children/<int:child_id>/emergency-contacts/<int:contact_id>/", views.EmergencyContactView.as_view(),
         name="api-child-emergency-contact"),
    path("children/<int:child_id>/pickup-contacts/", views.PickupContactListView.as_view(),
         name="api-child-pickup-contacts"),
    path("children/<int:child_id>/pickup-contacts/<int:contact_id>/", views.PickupContactView.as_view(),
         name="api-child-pickup-contact"),
    path("children/<int:child_id>/authorisations/", views.AuthorisationListView.as_view(),
         name="api-child-authorisations"),
    path("children/<int:child_id>/authorisations/<str:kind>/", views.AuthorisationView.as_view(),
         name="api-child-authorisation"),
    path("children/<int:child_id>/documents/", views.DocumentListView.as_view(), name="api-child-documents"),
    path("children/<int:child_id>/documents/<int:document_id>/", views.DocumentView.as_view(),
         name="api-child-document"),
]
