"""Staff (gestionnaire) screens of the messaging app, mounted under /<ville>/gestion/messagerie/."""

from django.urls import path

from . import staff_group_views, staff_views

app_name = "messaging_staff"

urlpatterns = [
    path("", staff_views.inbox, name="inbox"),
    path("conversations/<int:pk>/", staff_views.thread, name="thread"),
    path("conversations/<int:pk>/cloturer/", staff_views.close, name="close"),
    path("pieces-jointes/<int:pk>/", staff_views.attachment, name="attachment"),
    path("services/", staff_views.service_list, name="services"),
    path("services/<int:pk>/", staff_views.service_edit, name="service_edit"),
    path("ecrire/", staff_group_views.start, name="start"),
    path("envois-groupes/", staff_group_views.group_new, name="group_new"),
    path("envois-groupes/<int:pk>/", staff_group_views.group_detail, name="group"),
    path("avis/", staff_group_views.notices, name="notices"),
    path("avis/<int:pk>/retirer/", staff_group_views.notice_end, name="notice_end"),
]
