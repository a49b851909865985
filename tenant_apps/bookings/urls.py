from django.urls import path

from . import absence_views, views

app_name = "bookings"

urlpatterns = [
    path("reservations/", views.week, name="week"),
    path("reservations/case/", views.toggle, name="toggle"),
    path("reservations/semaine/", views.book_week, name="book_week"),
    path("reservations/en-masse/", views.bulk, name="bulk"),
    path("reservations/absences/", absence_views.absences, name="absences"),
    path("reservations/absences/<int:pk>/certificat/", absence_views.absence_certificate, name="absence_certificate"),
]
