"""Every write of billing, one module per concern: numbers, invoicing runs and invoices (with
their PDFs), credit notes, payments (online and at the counter), tariffs and billing rules.
Callers import from the package; the names below are its public surface."""

from .allocations import (
    credit_apply,
    household_credit,
    invoice_status_refresh,
    payment_record,
    payment_record_counter,
    payment_reverse,
)
from .credit_notes import credit_note_issue
from .invoicing import (
    household_invoice_issue,
    invoice_pdf_ensure,
    invoice_run_cancel,
    invoice_run_execute,
    invoice_run_resume,
    invoice_run_start,
)
from .notices import (
    invoice_notices_send,
    invoice_reminder_send,
    invoice_reminders_send,
    overdue_invoices,
    reminder_deliver,
)
from .numbering import credit_note_number, invoice_number, number_allocate
from .payments import (
    MIN_DELAY_BETWEEN_PAYMENTS,
    NotificationResult,
    PaymentStart,
    payment_notification_handle,
    payment_record_direct_debit,
    payment_reverse_direct_debit,
    payment_start,
    payments_reconcile,
    transaction_expire,
)
from .tariffs import (
    BracketInput,
    billing_settings_check,
    billing_settings_update,
    tariff_close,
    tariff_create,
    tariff_update,
)

__all__ = [
    "MIN_DELAY_BETWEEN_PAYMENTS",
    "BracketInput",
    "NotificationResult",
    "PaymentStart",
    "billing_settings_check",
    "billing_settings_update",
    "credit_apply",
    "credit_note_issue",
    "household_credit",
    "invoice_status_refresh",
    "payment_record",
    "payment_reverse",
    "credit_note_number",
    "household_invoice_issue",
    "invoice_notices_send",
    "invoice_number",
    "invoice_reminder_send",
    "invoice_reminders_send",
    "overdue_invoices",
    "reminder_deliver",
    "invoice_pdf_ensure",
    "invoice_run_cancel",
    "invoice_run_execute",
    "invoice_run_resume",
    "invoice_run_start",
    "number_allocate",
    "payment_notification_handle",
    "payment_record_counter",
    "payment_record_direct_debit",
    "payment_reverse_direct_debit",
    "payment_start",
    "payments_reconcile",
    "tariff_close",
    "tariff_create",
    "tariff_update",
    "transaction_expire",
]
