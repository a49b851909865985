from django.urls import path

from . import views

app_name = "directdebit"

urlpatterns = [
    path("mes-factures/prelevement/", views.mandate_page, name="mandate"),
    path("mes-factures/prelevement/arreter/", views.mandate_revoke, name="revoke"),
]
