"""API routes of the billing app, mounted under /<ville>/api/v1/."""

from django.urls import path

from . import staff, views

urlpatterns = [
    path("invoices/", views.InvoiceListView.as_view(), name="api-invoices"),
    path("invoices/<int:invoice_id>/", views.InvoiceDetailView.as_view(), name="api-invoice"),
    path("invoices/<int:invoice_id>/pdf/", views.InvoicePdfView.as_view(), name="api-invoice-pdf"),
    path("invoices/<int:invoice_id>/payment/", views.InvoicePaymentView.as_view(), name="api-invoice-payment"),
    path("staff/payments/", staff.StaffCounterPaymentView.as_view(), name="api-staff-payments"),
    path("staff/payments/<int:payment_id>/", staff.StaffPaymentView.as_view(), name="api-staff-payment"),
    path("staff/overdue-invoices/", staff.StaffOverdueInvoicesView.as_view(), name="api-staff-overdue"),
    path("tariffs/", views.TariffListView.as_view(), name="api-tariffs"),
]
