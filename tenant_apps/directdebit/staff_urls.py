"""Staff screens of direct debit, mounted under /<ville>/gestion/prelevements/."""

from django.urls import path

from . import staff_views

app_name = "directdebit_staff"

urlpatterns = [
    path("", staff_views.home, name="home"),
    path("reglages/", staff_views.settings_page, name="settings"),
    path("mandats/<int:mandate_id>/", staff_views.mandate_detail, name="mandate"),
    path("mandats/<int:mandate_id>/valider/", staff_views.mandate_validate, name="mandate_validate"),
    path("mandats/<int:mandate_id>/refuser/", staff_views.mandate_refuse, name="mandate_refuse"),
    path("mandats/<int:mandate_id>/compte/", staff_views.mandate_change_account, name="mandate_account"),
    path("mandats/<int:mandate_id>/document/", staff_views.mandate_document, name="mandate_document"),
    path("mandats/<int:mandate_id>/<str:action>/", staff_views.mandate_state, name="mandate_state"),
    path("fichiers/", staff_views.export_create, name="export_create"),
    path("fichiers/<int:export_id>/", staff_views.export_download, name="export_download"),
    path("fichiers/<int:export_id>/preleves/", staff_views.export_collected, name="export_collected"),
    path("rejets-banque/", staff_views.bank_file_import, name="bank_file_import"),
    path("prelevements/<int:debit_id>/rejet/", staff_views.debit_reject, name="debit_reject"),
    path("prelevements/<int:debit_id>/frais-regles/", staff_views.debit_fee_settled, name="debit_fee_settled"),
]
