"""The closures screen, mounted under /<ville>/gestion/prestations/fermetures/ (see `closures.py`)."""

from django.urls import path

from . import staff_views as views

app_name = "closures_staff"

urlpatterns = [
    path("", views.closure_list, name="list"),
    path("<int:pk>/supprimer/", views.closure_remove, name="remove"),
]
