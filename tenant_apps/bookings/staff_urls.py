"""Staff (gestionnaire) screens of the bookings app, mounted under /<ville>/gestion/reservations/."""

from django.urls import path

from . import staff_views as views

app_name = "bookings_staff"

urlpatterns = [
    path("", views.attendance, name="attendance"),
    path("pointage/marquer/", views.attendance_mark, name="attendance_mark"),
    path("pointage/ajouter/", views.attendance_walk_in, name="attendance_walk_in"),
    path("reserver/", views.staff_booking, name="staff_booking"),
    path("pointage.csv", views.attendance_csv, name="attendance_csv"),
    path("pointage.pdf", views.attendance_pdf, name="attendance_pdf"),
    path("inscriptions/<int:pk>/supprimer/", views.enrolment_remove, name="enrolment_remove"),
]
