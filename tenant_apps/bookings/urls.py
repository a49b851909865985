from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    path("reservations/", views.week, name="week"),
]
