"""The invoice PDF: what it prints, that it is generated once and stored, and who may read it."""

import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from pypdf import PdfReader

from tenant_apps.core.models import TownProfile
from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory

from ..services import invoice_pdf_ensure, payment_record_counter


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def town_profile(town):
    TownProfile.objects.update_or_create(
        pk=TownProfile.objects.order_by("pk").values_list("pk", flat=True).first(),
        defaults={"display_name": "Mairie de Démonstration", "address_line": "1 place de la mairie",
                  "postcode": "22300", "city": "Lannion"},
    )


def test_the_pdf_prints_the_town_the_payer_the_period_the_lines_and_the_totals(april_invoice, town_profile,
                                                                              dummy_payment):
    # Given 10 € already paid at the counter
    payment_record_counter(invoice=april_invoice, amount=Decimal("10.00"))
    april_invoice.refresh_from_db()

    name = invoice_pdf_ensure(invoice=april_invoice)

    with default_storage.open(name, "rb") as handle:
        text = pdf_text(handle.read())
    assert "Mairie de Démonstration" in text
    assert "1 place de la mairie" in text
    assert "Facture n° 000001" in text
    assert "Claire ALAIN" in text
    assert "du 1 avril 2019 au 30 avril 2019" in text
    assert "Théo ALAIN" in text
    assert "Repas Enfant" in text
    assert "Repas Enfant 24 3,30\u00a0€ 79,20\u00a0€" in text
    assert "Total de la facture 79,20\u00a0€" in text
    assert "Déjà payé 10,00\u00a0€" in text
    assert "Reste à payer 69,20\u00a0€" in text
    assert "À payer avant le" in text
    assert "Au guichet" in text
    assert "En ligne" in text and "/ville-a/mes-factures/" in text
    assert "000001-2019" in text  # the reference to give (PayFiP, counter)


def test_the_pdf_is_generated_once_and_stored_in_the_towns_storage(april_invoice):
    name = invoice_pdf_ensure(invoice=april_invoice)
    stored = default_storage.path(name)
    assert f"/{connection.schema_name}/invoices/" in stored
    # When it is asked for again, the stored file is served as is
    assert invoice_pdf_ensure(invoice=april_invoice) == name
    april_invoice.refresh_from_db()
    assert april_invoice.pdf.name == name


def test_a_parent_opens_the_pdf_of_their_invoice(april_invoice, alain_client):
    response = alain_client.get(f"/ville-a/mes-factures/{april_invoice.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "inline" in response["Content-Disposition"]
    assert "79,20\u00a0€" in pdf_text(b"".join(response.streaming_content))


def test_a_parent_cannot_open_another_familys_invoice(april_invoice, client):
    # Given another family of the same town
    other = GuardianFactory(household=ChildFactory().household)
    client.force_login(other.user)
    # Then their requests for the ALAIN invoice answer 404
    assert client.get(f"/ville-a/mes-factures/{april_invoice.pk}/pdf/").status_code == 404
    assert client.post(f"/ville-a/mes-factures/{april_invoice.pk}/payer/").status_code == 404
    assert client.get(f"/ville-a/api/v1/invoices/{april_invoice.pk}/pdf/").status_code == 404
    assert client.get(f"/ville-a/api/v1/invoices/{april_invoice.pk}/").status_code == 404
    assert client.post(f"/ville-a/api/v1/invoices/{april_invoice.pk}/payment/").status_code == 404
    assert client.get("/ville-a/api/v1/invoices/").json() == []


def test_the_pdf_carries_the_towns_logo(april_invoice, town_profile):
    # Given the town uploaded its logo on the portal's staff screen
    import struct
    import zlib

    from django.core.files.base import ContentFile

    def png(width: int, height: int) -> bytes:
        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        raw = b"".join(b"\x00" + b"\x0b\x53\x94" * width for _ in range(height))
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    profile = TownProfile.current()
    profile.logo.save("logo.png", ContentFile(png(40, 20)), save=False)
    profile.logo_content_type = "image/png"
    profile.save()

    # When the invoice PDF is generated
    name = invoice_pdf_ensure(invoice=april_invoice)

    # Then its first page shows an image: the logo
    with default_storage.open(name, "rb") as handle:
        page = PdfReader(io.BytesIO(handle.read())).pages[0]
    assert len(page.images) == 1


def test_nothing_in_the_invoice_layout_runs_off_the_page(april_invoice, town_profile):
    # Laid out by WeasyPrint as for the PDF: every box must end inside the page's width.
    from ..pdf import render_invoice_document

    document = render_invoice_document(april_invoice)
    page = document.pages[0]
    overflowing = [
        (type(box).__name__, getattr(box, "text", "")[:30], round(box.position_x + box.margin_width()))
        for box in page._page_box.descendants()
        if hasattr(box, "margin_width") and box.position_x + box.margin_width() > page.width + 0.5
    ]
    assert overflowing == []
