from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("messagerie/", views.inbox, name="inbox"),
]
