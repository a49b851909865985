"""At the counter: staff record a cheque for a household over two invoices and hand over the
receipt; the parent sees "x,xx € payé sur y,yy €" on MES FACTURES and downloads the receipt;
the same through the staff API; parents are kept out of the staff screens and endpoints."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest

from tenant_apps.bookings.tests.factories import book, school_days

from ..models import Invoice, Payment
from ..services import household_invoice_issue, payment_record_counter
from .test_pdf import pdf_text

MAY = (dt.date(2019, 5, 1), dt.date(2019, 5, 31))
NBSP = "\u00a0"


@pytest.fixture
def may_invoice(alain, canteen, canteen_tariff, april_invoice):
    book(alain.child, canteen, school_days(*MAY)[:10])
    return household_invoice_issue(household_id=alain.household.pk, period_start=MAY[0], period_end=MAY[1])


def page(response) -> str:
    """The page's text as people read it (tags removed)."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def test_staff_record_a_cheque_over_two_invoices_and_print_the_receipt(alain, april_invoice, may_invoice,
                                                                         staff_client):
    url = f"/ville-a/gestion/facturation/foyers/{alain.household.pk}/paiement/"
    form = page(staff_client.get(url))
    assert "Facture 000001 – reste 79,20\u00a0€" in form and "Facture 000002 – reste 33,00\u00a0€" in form

    response = staff_client.post(url, {
        "amount": "100,00", "method": "cheque", "cheque_number": "1234567", "bank": "Crédit Agricole",
        f"invoice-{april_invoice.pk}": "79,20", f"invoice-{may_invoice.pk}": "20,80",
    }, follow=True)

    text = page(response)
    assert "Paiement au guichet enregistré." in text
    assert "Facture 000001 : 79,20\u00a0€" in text and "Facture 000002 : 20,80\u00a0€" in text
    payment = Payment.objects.get()
    receipt = staff_client.get(f"/ville-a/gestion/facturation/paiements/{payment.pk}/recu/")
    assert receipt["Content-Type"] == "application/pdf"
    receipt_text = pdf_text(receipt.content)
    assert f"Reçu de paiement n° {payment.receipt_number}" in receipt_text
    assert "Reçu du foyer ALAIN" in receipt_text
    assert f"Montant reçu : 100,00{NBSP}€" in receipt_text
    assert "Mode de paiement : Chèque – chèque n° 1234567 – Crédit Agricole" in receipt_text
    assert "000001" in receipt_text and f"79,20{NBSP}€" in receipt_text and f"20,80{NBSP}€" in receipt_text


def test_a_cheque_without_its_number_is_refused_with_a_french_message(alain, april_invoice, staff_client):
    response = staff_client.post(f"/ville-a/gestion/facturation/foyers/{alain.household.pk}/paiement/",
                                 {"amount": "10", "method": "cheque"})
    assert response.status_code == 400
    assert "Indiquez le numéro du chèque." in page(response)
    assert not Payment.objects.exists()


def test_an_amount_above_what_is_due_on_an_invoice_is_refused(alain, april_invoice, staff_client):
    response = staff_client.post(f"/ville-a/gestion/facturation/foyers/{alain.household.pk}/paiement/",
                                 {"amount": "90", "method": "cash", f"invoice-{april_invoice.pk}": "90"}, follow=True)
    assert "Facture 000001 : le montant imputé doit être compris entre 0,01 € et 79,20\u00a0€." in page(response)
    assert not Payment.objects.exists()


def test_the_parent_sees_what_was_paid_in_french_and_downloads_the_receipt(alain, april_invoice, alain_client,
                                                                            other_family):
    payment = payment_record_counter(invoice=april_invoice, amount=Decimal("10.00"), method="cash")

    listing = page(alain_client.get("/ville-a/mes-factures/"))

    assert f"10,00{NBSP}€ payé sur 79,20{NBSP}€" in listing
    assert "79.20€" not in listing
    assert "(Espèces)" in listing
    receipt = alain_client.get(f"/ville-a/mes-factures/paiements/{payment.pk}/recu/")
    assert receipt.status_code == 200 and "Espèces" in pdf_text(receipt.content)
    # Another family cannot read it
    alain_client.force_login(other_family.user)
    assert alain_client.get(f"/ville-a/mes-factures/paiements/{payment.pk}/recu/").status_code == 404


def test_a_counter_payment_shows_on_the_invoice_pdf_in_the_same_format(april_invoice, alain_client):
    payment_record_counter(invoice=april_invoice, amount=Decimal("10.00"), method="cesu")
    pdf = alain_client.get(f"/ville-a/mes-factures/{april_invoice.pk}/pdf/")
    text = pdf_text(b"".join(pdf.streaming_content))
    assert f"Total de la facture 79,20{NBSP}€" in text and f"Déjà payé 10,00{NBSP}€" in text


def test_staff_record_a_payment_through_the_api_and_the_parent_sees_it_on_the_invoice(
        alain, april_invoice, staff_client, alain_client):
    response = staff_client.post("/ville-a/api/v1/staff/payments/", {
        "household": alain.household.pk, "method": "transfer", "amount": "50.00", "reference": "VIR 2019-05",
        "allocations": [{"invoice": april_invoice.pk, "amount": "50.00"}],
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["allocations"] == [
        {"invoice": april_invoice.pk, "invoice_number": "000001", "amount": "50.00", "from_credit": False}]

    detail = alain_client.get(f"/ville-a/api/v1/invoices/{april_invoice.pk}/").json()
    assert detail["amount_paid"] == "50.00" and detail["remaining"] == "29.20"
    assert [(p["amount"], p["method_label"], p["reversed"]) for p in detail["payments"]] == [
        ("50.00", "Virement", False)]


def test_the_api_refuses_an_allocation_to_an_unknown_invoice_with_a_french_message(alain, staff_client):
    response = staff_client.post("/ville-a/api/v1/staff/payments/", {
        "household": alain.household.pk, "method": "cash", "amount": "5.00",
        "allocations": [{"invoice": 999999, "amount": "5.00"}],
    }, content_type="application/json")
    assert response.status_code == 400
    assert "Facture introuvable." in response.content.decode()


def test_staff_reverse_a_bounced_cheque_from_the_payment_page(april_invoice, staff_client):
    payment = payment_record_counter(invoice=april_invoice, amount=Decimal("79.20"), method="cheque",
                                     cheque_number="42")
    response = staff_client.post(f"/ville-a/gestion/facturation/paiements/{payment.pk}/annuler/",
                                 {"reason": "Chèque sans provision"}, follow=True)
    assert "les factures qu'il réglait sont de nouveau à payer" in page(response)
    april_invoice.refresh_from_db()
    assert (april_invoice.status, april_invoice.amount_paid) == (Invoice.Status.ISSUED, Decimal("0.00"))


def test_parents_cannot_reach_the_payment_screens_nor_the_staff_api(alain, april_invoice, alain_client):
    payment = payment_record_counter(invoice=april_invoice, amount=Decimal("5.00"))
    for url in (f"/ville-a/gestion/facturation/foyers/{alain.household.pk}/paiement/",
                f"/ville-a/gestion/facturation/paiements/{payment.pk}/",
                f"/ville-a/gestion/facturation/paiements/{payment.pk}/recu/",
                "/ville-a/gestion/facturation/impayes/"):
        response = alain_client.get(url)
        assert response.status_code == 302 and "/connexion/" in response.url, url
    assert alain_client.post(f"/ville-a/gestion/facturation/factures/{april_invoice.pk}/relance/").status_code == 302
    assert alain_client.get("/ville-a/api/v1/staff/overdue-invoices/").status_code == 403
    refused = alain_client.post("/ville-a/api/v1/staff/payments/", {
        "household": alain.household.pk, "method": "cash", "amount": "5.00"}, content_type="application/json")
    assert refused.status_code == 403
    assert Payment.objects.count() == 1
