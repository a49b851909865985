"""Payments recorded before allocations existed: each paid one invoice, all of it allocated."""

from django.db import migrations


def forwards(apps, schema_editor):
    Payment = apps.get_model("billing", "Payment")
    PaymentAllocation = apps.get_model("billing", "PaymentAllocation")
    for payment in Payment.objects.filter(allocations__isnull=True, invoice__isnull=False).select_related("invoice"):
        payment.household_id = payment.invoice.household_id
        payment.save(update_fields=["household"])
        PaymentAllocation.objects.create(payment=payment, invoice_id=payment.invoice_id, amount=payment.amount)


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_payment_allocations_reminders")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
