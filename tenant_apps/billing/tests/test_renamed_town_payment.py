"""A payment notification sent to a renamed town's old address still pays the invoice."""

from decimal import Decimal

from django.db import connection

from provisioning.services import town_rename

from ..models import Invoice, Payment, PaymentTransaction
from .test_payments import signed, start_payment


def test_a_notification_posted_to_the_old_address_follows_the_308_with_its_body(
    april_invoice, dummy_payment, alain_client, town_a, client
):
    # Given a payment started before the town moved from /ville-a/ to /ville-a-22/
    start_payment(alain_client, april_invoice)
    tx = PaymentTransaction.objects.get()
    query = signed(tx)
    town_rename(slug="ville-a", new_slug="ville-a-22")
    connection.set_tenant(town_a)  # the rename is done from the public schema

    # When the provider posts its notification to the address it was given, the old one
    moved = client.post("/ville-a/paiement/notification/", data=query,
                        content_type="application/x-www-form-urlencoded")
    # Then it is told to repeat the same POST at the new address (a 301 would turn it into a GET)
    assert moved.status_code == 308
    assert moved["Location"] == "/ville-a-22/paiement/notification/"
    # And repeating it there, body and all, pays the invoice
    answer = client.post(moved["Location"], data=query, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200
    april_invoice.refresh_from_db()
    assert (april_invoice.status, april_invoice.amount_paid) == (Invoice.Status.PAID, Decimal("79.20"))
    assert Payment.objects.count() == 1
