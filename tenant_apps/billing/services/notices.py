"""Telling families: one "Nouvelle facture disponible" e-mail per household when a run issues
its invoices, and unpaid reminders (relances) after the due date.

Reminders skip invoices collected by direct debit: the directdebit app sets
`Invoice.collection_method = "direct_debit"` on the invoices it collects (the hook)."""

import logging
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.payments.selectors import provider_config_for_current_town
from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.core.clock import town_today
from tenants.current import require_town
from tenants.outbox.services import send_on_commit
from tenants.urls import town_url

from ..errors import ReminderNotNeeded
from ..models import BillingSettings, Invoice, InvoiceReminder, InvoiceRun

logger = logging.getLogger(__name__)

NOTICE_BATCH = 50
REMINDABLE = (Invoice.Status.ISSUED, Invoice.Status.PAYMENT_PENDING)


def _mail_context(invoice: Invoice) -> dict:
    town = require_town()
    return {
        "town": town, "invoice": invoice, "settings": BillingSettings.current(),
        "online_payment": provider_config_for_current_town() is not None,
        "direct_debit": invoice.collection_method == Invoice.CollectionMethod.DIRECT_DEBIT,
        "invoices_url": town_url(town, "billing:invoices"),
    }


def _send(invoice: Invoice, *, subject: str, template: str, extra: dict | None = None) -> bool:
    from tenant_apps.accounts.emails import send_templated_mail

    if not invoice.payer_email:
        return False
    send_templated_mail(to=invoice.payer_email, subject=subject, template=template,
                        context={**_mail_context(invoice), **(extra or {})})
    return True


def invoice_notices_send(*, run_id: int, batch_size: int = NOTICE_BATCH) -> int:
    """E-mail each household of the run its new invoice, in batches (one transaction each: a
    batch's invoices are marked as notified with the e-mails sent). Idempotent: a redelivered
    job sends only to those not told yet. Returns how many e-mails were sent."""
    town_name = require_town().name
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Invoice.objects.select_for_update(skip_locked=True)
                .filter(run_id=run_id, notified_at__isnull=True)
                .exclude(status=Invoice.Status.CANCELLED)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return sent
            now = timezone.now()
            in_batch = 0
            for invoice in batch:
                subject = _("%(town)s – nouvelle facture disponible (n° %(number)s)") % {
                    "town": town_name, "number": invoice.number}
                if _send(invoice, subject=subject, template="billing/email/invoice_notice"):
                    in_batch += 1
            Invoice.objects.filter(pk__in=[i.pk for i in batch]).update(notified_at=now)
            InvoiceRun.objects.filter(pk=run_id).update(notices_sent=F("notices_sent") + in_batch)
            sent += in_batch


def reminder_level_due(invoice: Invoice, rules: BillingSettings, today: date) -> int:
    """The highest reminder level whose delay after the due date has passed (0: none)."""
    level = 0
    for number, days in ((1, rules.reminder_first_days), (2, rules.reminder_second_days)):
        if days and today >= invoice.due_on + timedelta(days=days):
            level = number
    return level


def overdue_invoices() -> QuerySet[Invoice]:
    """Invoices past their due date with something left to pay, not collected by direct debit."""
    return (
        Invoice.objects.filter(status__in=REMINDABLE, amount_paid__lt=F("total"), due_on__lt=town_today())
        .exclude(collection_method=Invoice.CollectionMethod.DIRECT_DEBIT)
        .select_related("household").prefetch_related("reminders")
        .order_by("due_on", "sequence")
    )


def _record_and_send(invoice: Invoice, *, level: int, actor: Actor = None) -> InvoiceReminder | None:
    from ..tasks import send_invoice_reminder

    try:
        with transaction.atomic():
            reminder = InvoiceReminder.objects.create(
                invoice=invoice, level=level, sent_at=timezone.now(), sent_to=invoice.payer_email,
                sent_by=signed_in(actor),
            )
            send_on_commit(send_invoice_reminder, reminder.pk)
    except IntegrityError:
        return None  # this level was already sent (a concurrent or repeated job)
    return reminder


def invoice_reminders_send(*, today: date | None = None) -> int:
    """The town's daily job: each overdue invoice gets the reminder of the level its delay
    reached, once per level. Returns how many reminders were queued."""
    today = today or town_today()
    rules = BillingSettings.current()
    queued = 0
    for invoice in overdue_invoices():
        level = reminder_level_due(invoice, rules, today)
        if level == 0 or any(r.level >= level for r in invoice.reminders.all()):
            continue
        if _record_and_send(invoice, level=level) is not None:
            queued += 1
    return queued


def invoice_reminder_send(*, invoice: Invoice, actor: Actor = None) -> InvoiceReminder:
    """A reminder sent by hand by staff (any number of times)."""
    invoice = Invoice.objects.get(pk=invoice.pk)
    if invoice.status not in REMINDABLE or invoice.remaining <= 0:
        raise ReminderNotNeeded()
    if not invoice.payer_email:
        raise ReminderNotNeeded(_("Le payeur de cette facture n'a pas d'adresse e-mail."))
    reminder = _record_and_send(invoice, level=0, actor=actor)
    assert reminder is not None  # level 0 is never unique
    return reminder


def reminder_deliver(*, reminder_id: int) -> bool:
    """The job's body: send the reminder's e-mail, unless the invoice was paid meanwhile."""
    reminder = InvoiceReminder.objects.select_related("invoice").filter(pk=reminder_id).first()
    if reminder is None:
        return False
    invoice = reminder.invoice
    if invoice.status not in REMINDABLE or invoice.remaining <= 0:
        return False
    subject = _("%(town)s – rappel : facture n° %(number)s à régler") % {
        "town": require_town().name, "number": invoice.number}
    return _send(invoice, subject=subject, template="billing/email/invoice_reminder", extra={"reminder": reminder})
