"""The town API's OpenAPI document is valid and generated without warnings."""

import io

from django.core.management import call_command


def test_the_openapi_document_validates_without_any_warning(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--urlconf", "config.urls_town", "--file", str(out), "--validate", "--fail-on-warn",
                 stdout=io.StringIO(), stderr=io.StringIO())
    document = out.read_text()
    assert "/api/v1/bookings/week/" in document and "InvoiceStatusEnum" in document
