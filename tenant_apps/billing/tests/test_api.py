"""The invoices API: a parent's invoices by year and status, PDF, starting a payment, OpenAPI."""

import datetime as dt
from decimal import Decimal

from tenant_apps.bookings.tests.factories import book, school_days

from ..models import Invoice
from ..services import household_invoice_issue


def test_a_parent_lists_their_invoices_by_year_and_status(april_invoice, alain, canteen, alain_client):
    household, theo = alain.household, alain.child
    book(theo, canteen, school_days(dt.date(2018, 12, 1), dt.date(2018, 12, 31))[:2])
    december = household_invoice_issue(household_id=household.pk, period_start=dt.date(2018, 12, 1),
                                       period_end=dt.date(2018, 12, 31))
    Invoice.objects.filter(pk=december.pk).update(status=Invoice.Status.PAID, amount_paid=december.total)

    everything = alain_client.get("/ville-a/api/v1/invoices/").json()
    assert [i["number"] for i in everything] == ["000001", "000002"]
    only_2019 = alain_client.get("/ville-a/api/v1/invoices/?year=2019").json()
    assert [(i["number"], i["total"], i["amount_paid"], i["status_label"]) for i in only_2019] == [
        ("000001", "79.20", "0.00", "Enregistré")
    ]
    paid = alain_client.get("/ville-a/api/v1/invoices/?status=paid").json()
    assert [i["number"] for i in paid] == ["000002"]
    bad = alain_client.get("/ville-a/api/v1/invoices/?status=lost")
    assert bad.status_code == 400 and "Statut inconnu" in bad.json()["detail"]


def test_invoice_detail_and_pdf(april_invoice, alain_client):
    detail = alain_client.get(f"/ville-a/api/v1/invoices/{april_invoice.pk}/").json()
    assert detail["lines"] == [{"child_name": "Théo ALAIN", "service_name": "Repas Enfant", "quantity": 24,
                                "unit_price": "3.30", "amount": "79.20"}]
    pdf = alain_client.get(detail["pdf_url"].replace("http://testserver", ""))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_starting_a_payment_returns_the_providers_address(april_invoice, dummy_payment, alain_client):
    response = alain_client.post(f"/ville-a/api/v1/invoices/{april_invoice.pk}/payment/")
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "url"
    assert body["url"].startswith("http://testserver/ville-a/paiement/banque-simulee/?transaction_id=")
    assert "amount=79.20" in body["url"]
    april_invoice.refresh_from_db()
    assert april_invoice.status == Invoice.Status.PAYMENT_PENDING
    assert april_invoice.remaining == Decimal("79.20")


def test_starting_a_payment_without_online_payment_is_a_clear_409(april_invoice, alain_client):
    response = alain_client.post(f"/ville-a/api/v1/invoices/{april_invoice.pk}/payment/")
    assert response.status_code == 409
    assert response.json()["code"] == "online_payment_unavailable"


def test_the_openapi_schema_documents_the_invoice_endpoints(town):
    from drf_spectacular.generators import SchemaGenerator

    # Generated from the town URLconf (what /<ville>/api/v1/schema/ serves).
    paths = SchemaGenerator(urlconf="config.urls_town").get_schema(request=None, public=True)["paths"]
    for path in ["/api/v1/invoices/", "/api/v1/invoices/{invoice_id}/", "/api/v1/invoices/{invoice_id}/pdf/",
                 "/api/v1/invoices/{invoice_id}/payment/"]:
        assert path in paths, sorted(paths)
    assert {p["name"] for p in paths["/api/v1/invoices/"]["get"]["parameters"]} >= {"year", "status"}


def test_a_year_out_of_the_calendar_is_a_400_not_a_crash(april_invoice, alain_client):
    # Given a parent with one invoice; ?year=0 used to crash the list (a 500), found by the API fuzzing
    for year in ("0", "-211", "100000", "99999999999999999999"):
        # When the API client asks for a year no calendar has
        response = alain_client.get(f"/ville-a/api/v1/invoices/?year={year}")
        # Then a 400 says it in French, field by field
        assert response.status_code == 400, year
        assert response.json()["code"] == "invalid"
        assert response.json()["errors"]["year"] == ["L'année doit être comprise entre 1 et 9999."]
    not_a_number = alain_client.get("/ville-a/api/v1/invoices/?year=deux-mille")
    assert not_a_number.json()["errors"]["year"] == ["L'année doit être un nombre (ex. 2019)."]
    # And a blank year is no filter at all
    assert len(alain_client.get("/ville-a/api/v1/invoices/?year=").json()) == 1
