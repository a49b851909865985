"""Staff (gestionnaire) screens of the services app, mounted under /<ville>/gestion/prestations/.

The closures screen (`fermetures/`) cancels bookings: it lives in `bookings.closure_urls`.
"""

from django.urls import path

from . import staff_views as views

app_name = "services_staff"

urlpatterns = [
    path("", views.service_list, name="list"),
    path("nouvelle/", views.service_edit, name="create"),
    path("<int:pk>/", views.service_edit, name="edit"),
    path("<int:pk>/periodes/", views.service_period_add, name="period_add"),
    path("<int:pk>/periodes/<int:period_pk>/supprimer/", views.service_period_remove, name="period_remove"),
    path("<int:pk>/dates/", views.service_date_add, name="date_add"),
    path("<int:pk>/dates/<int:date_pk>/supprimer/", views.service_date_remove, name="date_remove"),
    path("vacances-scolaires/", views.school_holidays, name="school_holidays"),
    path("vacances-scolaires/<int:pk>/supprimer/", views.school_holiday_remove, name="school_holiday_remove"),
    path("inscriptions/", views.enrolment_list, name="enrolments"),
    path("inscriptions/masse/", views.enrolment_bulk, name="enrolment_bulk"),
    path("inscriptions/reconduire/", views.enrolment_renew, name="enrolment_renew"),
]
