"""Staff screens of the accounting exports, mounted under /<ville>/gestion/comptabilite/."""

from django.urls import path

from . import staff_views

app_name = "accounting_staff"

urlpatterns = [
    path("", staff_views.exports, name="exports"),
    path("paiements/", staff_views.payments_export, name="payments_export"),
    path("exports/<int:record_id>/telecharger/", staff_views.export_download, name="export_download"),
    path("parametres/", staff_views.accounting_settings, name="settings"),
]
