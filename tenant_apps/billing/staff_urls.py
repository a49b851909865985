"""Staff (gestionnaire) screens of billing, mounted under /<ville>/gestion/facturation/."""

from django.urls import path

from . import staff_payments, staff_views

app_name = "billing_staff"

urlpatterns = [
    path("", staff_views.runs, name="runs"),
    path("facturations/<int:run_id>/", staff_views.run_detail, name="run_detail"),
    path("facturations/<int:run_id>/reprendre/", staff_views.run_resume, name="run_resume"),
    path("facturations/<int:run_id>/annuler/", staff_views.run_cancel, name="run_cancel"),
    path("factures/", staff_views.invoice_list, name="invoices"),
    path("factures/<int:invoice_id>/", staff_views.invoice_detail, name="invoice_detail"),
    path("factures/<int:invoice_id>/pdf/", staff_views.invoice_pdf, name="invoice_pdf"),
    path("factures/<int:invoice_id>/avoir/", staff_views.credit_note_create, name="credit_note"),
    path("factures/<int:invoice_id>/paiement-guichet/", staff_views.counter_payment, name="counter_payment"),
    path("foyers/<int:household_id>/paiement/", staff_payments.household_payment, name="household_payment"),
    path("paiements/<int:payment_id>/", staff_payments.payment_detail, name="payment_detail"),
    path("paiements/<int:payment_id>/recu/", staff_payments.payment_receipt, name="payment_receipt"),
    path("paiements/<int:payment_id>/annuler/", staff_payments.payment_reverse, name="payment_reverse"),
    path("impayes/", staff_payments.overdue, name="overdue"),
    path("factures/<int:invoice_id>/relance/", staff_payments.reminder_send, name="reminder_send"),
    path("tarifs/", staff_views.tariff_list, name="tariffs"),
    path("tarifs/nouveau/", staff_views.tariff_create, name="tariff_create"),
    path("tarifs/<int:tariff_id>/", staff_views.tariff_edit, name="tariff_edit"),
    path("tarifs/<int:tariff_id>/cloturer/", staff_views.tariff_close, name="tariff_close"),
    path("regles/", staff_views.billing_rules, name="rules"),
]
