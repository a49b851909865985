"""The gateway over eopayment: PayFiP notifications (idOp, amount in cents) and the dummy
backend's signed answers."""

from decimal import Decimal

import eopayment
import pytest
from eopayment.common import PaymentResponse

from shared_apps.payments.gateway import Gateway, NotificationRejected, dummy_signed_query
from shared_apps.payments.models import PaymentProviderConfig


def gateway(backend, params, schema="town_x"):
    from shared_apps.payments.crypto import encrypt_params

    config = PaymentProviderConfig(backend=backend, encrypted_params=encrypt_params(params), enabled=True)
    return Gateway(config, schema=schema, return_url="https://p.example/v/paiement/retour/",
                   callback_url="https://p.example/v/paiement/notification/")


def test_a_payfip_notification_is_checked_with_the_web_service_and_reports_the_amount(monkeypatch):
    payfip = gateway("payfip_ws", {"numcli": "123456", "saisie": "T"})
    asked = []

    def payment_status(transaction_id, **kwargs):
        asked.append(transaction_id)
        return PaymentResponse(result=eopayment.PAID, signed=True, order_id=transaction_id,
                               transaction_id=f"REF {transaction_id}", bank_data={"montant": "7920", "resultrans": "P"})

    monkeypatch.setattr(payfip.payment.backend, "payment_status", payment_status)
    # PayFiP posts `idOp=…`
    outcome = payfip.response("idOp=IDOP123")
    assert asked == ["IDOP123"]
    assert outcome.is_paid and outcome.amount == Decimal("79.20")
    assert "IDOP123" in outcome.references
    assert payfip.min_seconds_between_transactions == 20 * 60


def test_dummy_answers_are_signed_per_town():
    dummy = gateway("dummy", {}, schema="town_a")
    good = dummy_signed_query("town_a", transaction_id="T1", amount="12.00", paid=True)
    assert dummy.response(good).is_paid
    # The same answer signed for another town is refused
    other = dummy_signed_query("town_b", transaction_id="T1", amount="12.00", paid=True)
    with pytest.raises(NotificationRejected):
        dummy.response(other)


def test_a_refusal_or_a_cancellation_at_the_simulated_bank_is_told_apart():
    dummy = gateway("dummy", {}, schema="town_a")
    refused = dummy.response(dummy_signed_query("town_a", transaction_id="T1", amount="1", paid=False, reason="refused"))
    cancelled = dummy.response(dummy_signed_query("town_a", transaction_id="T1", amount="1", paid=False,
                                                  reason="cancelled"))
    assert (refused.result, cancelled.result) == (eopayment.DENIED, eopayment.CANCELLED)
