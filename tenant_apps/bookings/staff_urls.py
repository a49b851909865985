"""Staff (gestionnaire) screens of the bookings app, mounted under /<ville>/gestion/reservations/."""

from django.urls import path

from . import absence_views, register_views
from . import staff_views as views

app_name = "bookings_staff"

urlpatterns = [
    path("", views.attendance, name="attendance"),
    path("pointage/marquer/", views.attendance_mark, name="attendance_mark"),
    path("pointage/ajouter/", views.attendance_walk_in, name="attendance_walk_in"),
    path("reserver/", views.staff_booking, name="staff_booking"),
    path("pointage.csv", views.attendance_csv, name="attendance_csv"),
    path("pointage.pdf", views.attendance_pdf, name="attendance_pdf"),
    path("registre/", register_views.register_page, name="register"),
    path("registre/pointer/", register_views.register_tap, name="register_tap"),
    path("registre/tous-presents/", register_views.register_all_present, name="register_all_present"),
    path("registre/ajouter/", register_views.register_walk_in, name="register_walk_in"),
    path("registre/bilan.csv", register_views.register_month_csv, name="register_month_csv"),
    path("registre/bilan.pdf", register_views.register_month_pdf, name="register_month_pdf"),
    path("absences/", absence_views.staff_absences, name="absences"),
    path("absences/<int:pk>/decision/", absence_views.staff_absence_decide, name="absence_decide"),
    path("absences/<int:pk>/certificat/", absence_views.staff_absence_certificate, name="absence_certificate"),
    path("inscriptions/<int:pk>/supprimer/", views.enrolment_remove, name="enrolment_remove"),
]
