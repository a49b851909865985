from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", LogoutView.as_view(), name="logout"),
    path("nouveau-mot-de-passe/", views.password_reset_request, name="password_reset"),
    path("mot-de-passe/<str:token>/", views.password_create, name="password_create"),
]
