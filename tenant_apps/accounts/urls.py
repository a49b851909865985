from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("nouveau-mot-de-passe/", views.password_reset_request, name="password_reset"),
    path("nouveau-mot-de-passe/envoye/", views.password_reset_sent, name="password_reset_sent"),
    path("adresse-email/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path("mots-de-passe-courants/", views.common_passwords_list, name="common_passwords"),
    path("mot-de-passe/<str:token>/", views.password_create, name="password_create"),
    path("mot-de-passe/<str:token>/generer/", views.password_generate, name="password_generate"),
    path("mot-de-passe/<str:token>/phrase/", views.password_from_phrase, name="password_from_phrase"),
]
