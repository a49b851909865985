from django.urls import path

from . import opening_views, views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("equipe/", views.staff_list, name="staff"),
    path("ouverture/", opening_views.portal_open, name="portal_open"),
    path("invitations/", opening_views.invitations, name="invitations"),
    path("invitations/<int:batch_id>/", opening_views.invitation_batch, name="invitation_batch"),
]
