from django.urls import path

from . import views

app_name = "families"

urlpatterns = [
    path("mon-profil/", views.profile, name="profile"),
    path("mes-enfants/", views.children, name="children"),
]
