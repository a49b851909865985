from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("mes-factures/", views.invoices, name="invoices"),
    path("mes-factures/<int:invoice_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("mes-factures/paiements/<int:payment_id>/recu/", views.payment_receipt, name="payment_receipt"),
    path("mes-factures/<int:invoice_id>/payer/", views.invoice_pay, name="invoice_pay"),
    path("paiement/retour/", views.payment_return, name="payment_return"),
    path("paiement/notification/", views.payment_notification, name="payment_notification"),
    path("paiement/banque-simulee/", views.simulated_bank, name="simulated_bank"),
]
