"""Staff (gestionnaire) screens of the documents app, mounted under /<ville>/gestion/documents/."""

from django.urls import path

from . import staff_views

app_name = "documents_staff"

urlpatterns = [
    path("", staff_views.document_list, name="list"),
    path("<int:pk>/", staff_views.document_edit, name="edit"),
    path("<int:pk>/supprimer/", staff_views.document_delete, name="delete"),
    path("<int:pk>/fichier/", staff_views.document_file, name="file"),
]
