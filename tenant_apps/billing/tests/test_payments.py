"""Online payment with eopayment's dummy backend: PAYER → provider page → callback → Payé → e-mail;
replays, forgeries, amount mismatches, refusals, the 20-minute rule and reconciliation."""

import datetime as dt
import html
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from shared_apps.payments.gateway import dummy_signed_query

from ..errors import OnlinePaymentUnavailable, PaymentTooSoon
from ..models import Invoice, Payment, PaymentTransaction
from ..selectors import unpaid_invoices
from ..services import payment_start, payments_reconcile


def start_payment(alain_client, invoice):
    response = alain_client.post(f"/ville-a/mes-factures/{invoice.pk}/payer/")
    assert response.status_code == 302, response.content
    return response.url


def notify(client, query: str, path="/ville-a/paiement/notification/"):
    return client.post(path, data=query, content_type="application/x-www-form-urlencoded")


def signed(tx, *, paid=True, amount=None, reason=""):
    return dummy_signed_query(connection.schema_name, transaction_id=tx.provider_reference,
                              amount=str(amount if amount is not None else tx.amount), paid=paid, reason=reason)


def test_a_parent_pays_an_invoice_online_end_to_end(
    april_invoice, dummy_payment, alain_client, run_jobs, mailoutbox, django_capture_on_commit_callbacks
):
    # Given MES FACTURES shows the April invoice, Enregistré, with PAYER
    page = alain_client.get("/ville-a/mes-factures/").content.decode()
    assert "Enregistré" in page and "0,00\u00a0€ payé sur 79,20\u00a0€" in page and "Payer" in page

    # When the parent clicks PAYER, the provider's page (the simulated bank) opens
    bank_url = start_payment(alain_client, april_invoice)
    assert urlsplit(bank_url).path == "/ville-a/paiement/banque-simulee/"
    april_invoice.refresh_from_db()
    # And meanwhile the invoice shows "En paiement", without PAYER
    assert april_invoice.status == Invoice.Status.PAYMENT_PENDING
    page = alain_client.get("/ville-a/mes-factures/").content.decode()
    assert "En paiement" in page and "Payer<" not in page
    bank_page = alain_client.get(bank_url).content.decode()
    assert "79,20\u00a0€" in bank_page

    # When they confirm the payment at the bank
    reference = parse_qs(urlsplit(bank_url).query)["transaction_id"][0]
    with django_capture_on_commit_callbacks(execute=True):
        back = alain_client.post(bank_url, {"transaction_id": reference, "outcome": "pay"})
    assert urlsplit(back.url).path == "/ville-a/paiement/retour/"
    landing = alain_client.get(back.url, follow=True).content.decode()

    # Then the invoice is Payé, the payment recorded once, and an e-mail confirms it
    assert "la facture 000001 est payée" in landing
    assert "Payé" in landing and "79,20\u00a0€ payé sur 79,20\u00a0€" in landing
    april_invoice.refresh_from_db()
    assert (april_invoice.status, april_invoice.amount_paid) == (Invoice.Status.PAID, Decimal("79.20"))
    assert Payment.objects.filter(invoice=april_invoice).count() == 1
    run_jobs()
    [mail] = mailoutbox
    assert mail.to == ["claire.alain@example.org"]
    assert "000001" in mail.subject
    assert "79,20\u00a0€" in mail.body
    assert not unpaid_invoices(april_invoice.household).exists()


def test_a_replayed_notification_records_the_payment_once(april_invoice, dummy_payment, alain_client,
                                                          client, run_jobs, mailoutbox):
    start_payment(alain_client, april_invoice)
    tx = PaymentTransaction.objects.get()
    query = signed(tx)
    # When the provider notifies three times (and the browser comes back too)
    for _ in range(3):
        assert notify(client, query).status_code == 200
    notify(client, query, path="/ville-a/paiement/retour/")
    # Then one payment only
    april_invoice.refresh_from_db()
    assert april_invoice.amount_paid == Decimal("79.20")
    assert Payment.objects.count() == 1
    tx.refresh_from_db()
    assert tx.notifications == 4


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda q: q.replace("sig=", "sig=0"), id="bad signature"),
        pytest.param(lambda q: q.split("&sig=")[0], id="no signature"),
        pytest.param(lambda q: q.replace("signed=1&", ""), id="unsigned"),
        pytest.param(lambda q: q.replace("amount=79.20", "amount=1.00"), id="amount changed after signing"),
    ],
)
def test_a_forged_or_unsigned_notification_is_refused_and_logged(
    april_invoice, dummy_payment, alain_client, client, caplog, tamper
):
    start_payment(alain_client, april_invoice)
    tx = PaymentTransaction.objects.get()
    response = notify(client, tamper(signed(tx)))
    assert response.status_code == 400
    assert "refus" in response.content.decode()
    assert "Payment callback refused" in caplog.text
    april_invoice.refresh_from_db()
    assert (april_invoice.status, april_invoice.amount_paid) == (Invoice.Status.PAYMENT_PENDING, Decimal("0"))
    assert not Payment.objects.exists()


def test_a_notification_for_an_unknown_transaction_is_refused(dummy_payment, client):
    query = dummy_signed_query(connection.schema_name, transaction_id="nope", amount="1.00", paid=True)
    assert notify(client, query).status_code == 400


def test_an_amount_mismatch_is_flagged_to_staff_and_not_applied(
    april_invoice, dummy_payment, alain_client, client
):
    start_payment(alain_client, april_invoice)
    tx = PaymentTransaction.objects.get()
    # When the provider confirms a payment of another amount (correctly signed)
    assert notify(client, signed(tx, amount=Decimal("7.92"))).status_code == 200
    # Then nothing is applied; the transaction waits for the collection office
    april_invoice.refresh_from_db()
    tx.refresh_from_db()
    assert april_invoice.amount_paid == 0 and april_invoice.status == Invoice.Status.ISSUED
    assert tx.status == PaymentTransaction.Status.AMOUNT_MISMATCH and tx.needs_review
    assert "7.92" in tx.review_reason
    from tenant_apps.accounts.models import User

    client.force_login(User.objects.create_user("regie@ville-a.fr", is_staff=True))
    assert "Paiements à vérifier" in client.get("/ville-a/gestion/facturation/").content.decode()


def test_a_payment_first_announced_with_a_wrong_amount_then_paid_correctly_leaves_nothing_to_review(
    april_invoice, dummy_payment, alain_client, client
):
    start_payment(alain_client, april_invoice)
    tx = PaymentTransaction.objects.get()
    # Given the provider first announced 7.92 € instead of 79.20 € (flagged "Paiement non imputé")
    assert notify(client, signed(tx, amount=Decimal("7.92"))).status_code == 200
    # When it then confirms the right amount
    assert notify(client, signed(tx)).status_code == 200
    # Then the invoice is paid and the collection office has nothing left to check
    april_invoice.refresh_from_db()
    tx.refresh_from_db()
    assert april_invoice.status == Invoice.Status.PAID and april_invoice.amount_paid == Decimal("79.20")
    assert tx.status == PaymentTransaction.Status.PAID
    assert not tx.needs_review and "non imputé" not in tx.review_reason
    from tenant_apps.accounts.models import User

    client.force_login(User.objects.create_user("regie@ville-a.fr", is_staff=True))
    assert "Paiements à vérifier" not in client.get("/ville-a/gestion/facturation/").content.decode()


@pytest.mark.parametrize(("outcome", "status"), [("refuse", "refused"), ("cancel", "cancelled")])
def test_a_refused_or_cancelled_payment_returns_the_invoice_to_enregistre_with_a_message(
    april_invoice, dummy_payment, alain_client, outcome, status
):
    bank_url = start_payment(alain_client, april_invoice)
    reference = parse_qs(urlsplit(bank_url).query)["transaction_id"][0]
    back = alain_client.post(bank_url, {"transaction_id": reference, "outcome": outcome})
    page = html.unescape(alain_client.get(back.url, follow=True).content.decode())
    assert "Le paiement n'a pas abouti" in page
    april_invoice.refresh_from_db()
    assert april_invoice.status == Invoice.Status.ISSUED
    assert PaymentTransaction.objects.get().status == status
    # And the parent may try again at once
    assert payment_start(invoice=april_invoice, payer_email="claire.alain@example.org")


def test_payer_is_refused_within_20_minutes_of_a_pending_payment(april_invoice, dummy_payment, alain_client):
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        start_payment(alain_client, april_invoice)
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 19, tzinfo=dt.UTC), tick=False):
        with pytest.raises(PaymentTooSoon):
            payment_start(invoice=april_invoice, payer_email="x@example.org")
        response = alain_client.post(f"/ville-a/mes-factures/{april_invoice.pk}/payer/", follow=True)
        assert "attendez 20 minutes" in response.content.decode()
        api = alain_client.post(f"/ville-a/api/v1/invoices/{april_invoice.pk}/payment/")
        assert (api.status_code, api.json()["code"]) == (409, "payment_too_soon")
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 21, tzinfo=dt.UTC), tick=False):
        assert payment_start(invoice=april_invoice, payer_email="x@example.org")
    # The superseded attempt is expired; only the new one is pending
    assert PaymentTransaction.objects.filter(status="pending").count() == 1


def test_a_late_confirmation_of_a_superseded_attempt_is_still_recorded(april_invoice, dummy_payment, client):
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        first = payment_start(invoice=april_invoice, payer_email="x@example.org").transaction
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 30, tzinfo=dt.UTC), tick=False):
        payment_start(invoice=april_invoice, payer_email="x@example.org")
    assert notify(client, signed(first)).status_code == 200
    april_invoice.refresh_from_db()
    assert april_invoice.amount_paid == Decimal("79.20")


def test_payer_needs_online_payment_enabled(april_invoice, alain_client):
    page = alain_client.get("/ville-a/mes-factures/").content.decode()
    assert "Payer<" not in page
    with pytest.raises(OnlinePaymentUnavailable):
        payment_start(invoice=april_invoice, payer_email="x@example.org")


def test_reconciliation_expires_stale_pending_payments(april_invoice, dummy_payment):
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        payment_start(invoice=april_invoice, payer_email="x@example.org")
    # An hour later it is still pending
    assert payments_reconcile(now=dt.datetime(2019, 5, 2, 11, 0, tzinfo=dt.UTC)) == {"checked": 0, "expired": 0}
    # Three hours later it is expired and the invoice can be paid again
    assert payments_reconcile(now=dt.datetime(2019, 5, 2, 13, 0, tzinfo=dt.UTC))["expired"] == 1
    april_invoice.refresh_from_db()
    assert april_invoice.status == Invoice.Status.ISSUED


def test_reconciliation_asks_the_provider_where_it_can(april_invoice, town_a, monkeypatch):
    import eopayment

    from shared_apps.payments.gateway import Gateway, PaymentOutcome
    from shared_apps.payments.services import payment_config_set

    payment_config_set(town=town_a, backend="payfip_ws", params={"numcli": "123456", "saisie": "T"}, enabled=True)
    tx = PaymentTransaction.objects.create(invoice=april_invoice, backend="payfip_ws", order_id="000001TX",
                                           provider_reference="IDOP42", amount=Decimal("79.20"))
    PaymentTransaction.objects.filter(pk=tx.pk).update(created_at=timezone.now() - dt.timedelta(minutes=30))
    asked = []

    def fake_status(self, reference, *, started_at):
        asked.append(reference)
        return PaymentOutcome(references=(reference,), result=eopayment.PAID, amount=Decimal("79.20"),
                              bank_data={"resultrans": "P"}, return_content=None)

    monkeypatch.setattr(Gateway, "status", fake_status)
    assert payments_reconcile()["checked"] == 1
    assert asked == ["IDOP42"]
    april_invoice.refresh_from_db()
    assert april_invoice.status == Invoice.Status.PAID


def test_the_dashboard_count_comes_from_unpaid_invoices(april_invoice):
    assert list(unpaid_invoices(april_invoice.household)) == [april_invoice]


def test_the_simulated_bank_exists_only_with_the_dummy_backend(april_invoice, alain_client):
    response = alain_client.get("/ville-a/paiement/banque-simulee/?transaction_id=x")
    assert response.status_code == 404


def test_payer_comes_back_when_a_pending_attempt_is_older_than_20_minutes(
    april_invoice, dummy_payment, alain_client
):
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        start_payment(alain_client, april_invoice)
        page = alain_client.get("/ville-a/mes-factures/").content.decode()
        assert "En paiement" in page and ">Payer<" not in page
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 25, tzinfo=dt.UTC), tick=False):
        page = alain_client.get("/ville-a/mes-factures/").content.decode()
        assert "En paiement" in page and ">Payer<" in page


def test_the_invoice_row_says_when_the_parent_can_pay_again_while_a_payment_is_under_way(
    april_invoice, dummy_payment, alain_client
):
    # Given the parent clicked PAYER at 12:00 (Paris) and closed the bank's tab without paying
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        start_payment(alain_client, april_invoice)
    # Then, a few minutes later, the invoice row says why PAYER is gone and until when
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 5, tzinfo=dt.UTC), tick=False):
        page = html.unescape(alain_client.get("/ville-a/mes-factures/").content.decode())
    assert "En paiement" in page and ">Payer<" not in page
    assert "S'il n'aboutit pas, vous pourrez payer à nouveau à partir de 12h20." in page
    # And once PAYER is back, the explanation is gone
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 25, tzinfo=dt.UTC), tick=False):
        page = html.unescape(alain_client.get("/ville-a/mes-factures/").content.decode())
    assert ">Payer<" in page and "payer à nouveau" not in page


@pytest.mark.parametrize(("reason", "status"), [("cancelled", "cancelled"), ("abandoned", "cancelled")])
def test_the_provider_reporting_a_cancelled_or_abandoned_payment_gives_payer_back_at_once(
    april_invoice, dummy_payment, alain_client, client, reason, status
):
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        start_payment(alain_client, april_invoice)
        tx = PaymentTransaction.objects.get()
    # When, two minutes later, the provider reports the payment page was cancelled or left
    with time_machine.travel(dt.datetime(2019, 5, 2, 10, 2, tzinfo=dt.UTC), tick=False):
        assert notify(client, signed(tx, paid=False, reason=reason)).status_code == 200
        # Then the invoice is back to Enregistré with PAYER, without waiting for the 20 minutes
        page = html.unescape(alain_client.get("/ville-a/mes-factures/").content.decode())
        assert "Enregistré" in page and ">Payer<" in page and "payer à nouveau" not in page
        assert PaymentTransaction.objects.get().status == status
        assert payment_start(invoice=april_invoice, payer_email="claire.alain@example.org")


def test_the_periodic_job_reconciles_every_active_town(april_invoice, dummy_payment, town_a, run_jobs, monkeypatch):
    from .. import tasks

    reconciled = []
    monkeypatch.setattr("tenant_apps.billing.services.payments_reconcile",
                        lambda: reconciled.append(connection.schema_name) or {})
    # When the scheduler fires the platform job (in the public schema)
    connection.set_schema_to_public()
    tasks.reconcile_payments.fn()
    run_jobs()
    # Then each active town reconciled its own payments
    assert town_a.schema_name in reconciled
