"""Background jobs of billing (run in the town's schema by the worker middleware)."""

import dramatiq
from django.utils.translation import gettext as _
from dramatiq_crontab import cron

from tenants.current import require_town
from tenants.jobs import fan_out
from tenants.urls import town_url


@dramatiq.actor(max_retries=0, time_limit=6 * 60 * 60 * 1000)  # services.invoicing.RUN_TIME_LIMIT
def run_invoicing(run_id: int) -> None:
    from .services import invoice_run_execute

    invoice_run_execute(run_id=run_id)


@dramatiq.actor(max_retries=3)
def send_payment_confirmation(transaction_id: int) -> None:
    from tenant_apps.accounts.emails import send_templated_mail

    from .models import PaymentTransaction

    tx = PaymentTransaction.objects.select_related("invoice").filter(pk=transaction_id).first()
    if tx is None or tx.status != PaymentTransaction.Status.PAID:
        return
    to = tx.payer_email or tx.invoice.payer_email
    if not to:
        return
    town = require_town()
    context = {
        "town": town,
        "transaction": tx,
        "invoice": tx.invoice,
        "invoices_url": town_url(town, "billing:invoices"),
    }
    send_templated_mail(
        to=to,
        subject=_("%(town)s – paiement de la facture %(number)s reçu") % {"town": town.name, "number": tx.invoice.number},
        template="billing/email/payment_confirmation",
        context=context,
    )


@dramatiq.actor(max_retries=1)
def reconcile_town_payments() -> None:
    from .services import payments_reconcile

    payments_reconcile()


@cron("*/10 * * * *")
@dramatiq.actor(platform=True, max_retries=0)
def reconcile_payments() -> None:
    """Every 10 minutes: each active town reconciles its pending online payments."""
    fan_out(reconcile_town_payments)


@dramatiq.actor(max_retries=3, time_limit=60 * 60 * 1000)
def send_invoice_notices(run_id: int) -> None:
    """After a run: one "Nouvelle facture disponible" e-mail per household, in batches."""
    from .services import invoice_notices_send

    invoice_notices_send(run_id=run_id)


@dramatiq.actor(max_retries=3)
def send_invoice_reminder(reminder_id: int) -> None:
    from .services import reminder_deliver

    reminder_deliver(reminder_id=reminder_id)


@dramatiq.actor(max_retries=1)
def send_town_reminders() -> None:
    from .services import invoice_reminders_send

    invoice_reminders_send()


@cron("0 8 * * *")
@dramatiq.actor(platform=True, max_retries=0)
def send_reminders() -> None:
    """Every morning: each active town sends the unpaid reminders whose delay has come."""
    fan_out(send_town_reminders)
