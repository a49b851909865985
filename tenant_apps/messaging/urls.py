from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("messagerie/", views.inbox, name="inbox"),
    path("messagerie/ecrire/<int:service_id>/", views.compose, name="compose"),
    path("messagerie/conversations/<int:pk>/", views.thread, name="thread"),
    path("messagerie/pieces-jointes/<int:pk>/", views.attachment, name="attachment"),
]
