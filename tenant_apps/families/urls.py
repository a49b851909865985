from django.urls import path

from . import views

app_name = "families"

urlpatterns = [
    path("mon-profil/", views.profile, name="profile"),
    path("mon-profil/modifier/<str:key>/<int:pk>/", views.field_edit, name="field_edit"),
    path("mes-enfants/", views.children, name="children"),
    path("mes-enfants/<int:child_id>/", views.child, name="child"),
    path("mes-enfants/<int:pk>/modifier/<str:key>/", views.field_edit, name="child_field_edit"),
    path("mes-enfants/<int:child_id>/allergies/ajouter/", views.allergy_add, name="allergy_add"),
    path("mes-enfants/<int:child_id>/allergies/<int:allergy_id>/supprimer/", views.allergy_remove,
         name="allergy_remove"),
    path("mes-enfants/<int:child_id>/vaccins/ajouter/", views.vaccine_add, name="vaccine_add"),
    path("mes-enfants/<int:child_id>/vaccins/<int:vaccine_id>/supprimer/", views.vaccine_remove,
         name="vaccine_remove"),
    path("mes-enfants/<int:child_id>/contacts/<str:kind>/ajouter/", views.contact_add, name="contact_add"),
    path("mes-enfants/<int:child_id>/contacts/<str:kind>/<int:contact_id>/supprimer/", views.contact_remove,
         name="contact_remove"),
    path("mes-enfants/<int:child_id>/autorisations/<str:kind>/", views.authorisation_set, name="authorisation_set"),
    path("mes-enfants/<int:child_id>/documents/ajouter/", views.document_add, name="document_add"),
    path("mes-enfants/<int:child_id>/documents/<int:document_id>/", views.document_download,
         name="document_download"),
    path("mes-enfants/<int:child_id>/documents/<int:document_id>/supprimer/", views.document_remove,
         name="document_remove"),
]
