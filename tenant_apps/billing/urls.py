from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("mes-factures/", views.invoices, name="invoices"),
]
