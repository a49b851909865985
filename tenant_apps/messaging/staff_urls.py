"""Staff (gestionnaire) screens of the messaging app, mounted under /<ville>/gestion/messagerie/."""

from django.urls import path

from . import staff_views

app_name = "messaging_staff"

urlpatterns = [
    path("", staff_views.inbox, name="inbox"),
    path("conversations/<int:pk>/", staff_views.thread, name="thread"),
    path("conversations/<int:pk>/cloturer/", staff_views.close, name="close"),
    path("pieces-jointes/<int:pk>/", staff_views.attachment, name="attachment"),
    path("services/", staff_views.service_list, name="services"),
    path("services/<int:pk>/", staff_views.service_edit, name="service_edit"),
]
