"""Staff screens: invoices list, credit note and counter payment from the invoice page; parents
are kept out."""

import html
from decimal import Decimal

from ..models import Invoice


def test_staff_find_an_invoice_record_a_counter_payment_and_see_it(april_invoice, staff_client):
    listing = staff_client.get("/ville-a/gestion/facturation/factures/?q=ALAIN").content.decode()
    assert "000001" in listing
    response = staff_client.post(f"/ville-a/gestion/facturation/factures/{april_invoice.pk}/paiement-guichet/",
                                 {"amount": "79.20", "reference": "chèque 1234"}, follow=True)
    assert "Paiement au guichet enregistré" in html.unescape(response.content.decode())
    april_invoice.refresh_from_db()
    assert (april_invoice.status, april_invoice.amount_paid) == (Invoice.Status.PAID, Decimal("79.20"))


def test_staff_cancel_an_invoice_by_a_credit_note_from_its_page(april_invoice, staff_client):
    page = staff_client.post(f"/ville-a/gestion/facturation/factures/{april_invoice.pk}/avoir/",
                             {"reason": "Absences justifiées oubliées"}, follow=True)
    text = html.unescape(page.content.decode())
    assert "Avoir AV000001 émis : la facture 000001 est annulée." in text
    assert "Annulée par avoir" in text
    assert Invoice.objects.get().status == Invoice.Status.CANCELLED


def test_parents_cannot_reach_the_billing_staff_screens(april_invoice, alain_client):
    response = alain_client.get("/ville-a/gestion/facturation/")
    assert response.status_code == 302 and "/connexion/" in response.url
    assert alain_client.get(f"/ville-a/gestion/facturation/factures/{april_invoice.pk}/pdf/").status_code == 302
