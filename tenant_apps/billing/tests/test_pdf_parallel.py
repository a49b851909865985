"""An invoicing run renders its PDFs in worker processes: each PDF reads exactly as the one rendered
alone in the run's own process, and a worker process that dies costs no invoice its PDF but the one
that kills it, which the run reports; the run always finishes."""

import io
import os
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from tenant_apps.bookings.tests.factories import book, school_days
from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory, HouseholdFactory

from .. import pdf_worker
from ..models import Invoice, InvoiceRun
from ..pdf import render_invoice_pdf
from ..services import invoice_run_execute
from .conftest import APRIL

REAL_RENDER_TASK = pdf_worker.render_task
# Set by a test before the run: the forked worker processes inherit it.
CRASH = {"name": "", "flag": ""}


def crashing_render_task(key, html, css_text):
    """A worker that dies (as on a native crash) on the invoice of CRASH["name"]; when a flag file is
    given, only the first time."""
    if CRASH["name"] and CRASH["name"] in html:
        flag = CRASH["flag"]
        if not flag or not Path(flag).exists():
            if flag:
                Path(flag).touch()
            os._exit(1)
    return REAL_RENDER_TASK(key, html, css_text)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def households(canteen, canteen_tariff):
    names = ["ALAIN", "BERNARD", "CASSE", "DUPONT", "ESNAULT", "FAURE"]
    days = school_days(*APRIL)
    for index, name in enumerate(names):
        household = HouseholdFactory(name=name, address_line=f"{index + 1} rue des Écoles", postcode="22300",
                                     city="Lannion")
        GuardianFactory(household=household, first_name="Camille", last_name=name, is_payer=True)
        for child_name in ("Théo", "Anna")[: 1 + index % 2]:
            child = ChildFactory(household=household, first_name=child_name, last_name=name)
            book(child, canteen, days[: 10 + index])
    return names


@pytest.fixture
def two_workers(settings):
    settings.BILLING_PDF_WORKERS = 2
    yield
    CRASH.update(name="", flag="")


def run_april() -> InvoiceRun:
    run = InvoiceRun.objects.create(period_start=APRIL[0], period_end=APRIL[1], with_pdfs=True)
    return invoice_run_execute(run_id=run.pk)


def stored_text(invoice: Invoice) -> str:
    assert invoice.pdf.name, f"invoice {invoice.number} has no PDF"
    with default_storage.open(invoice.pdf.name, "rb") as handle:
        return pdf_text(handle.read())


def test_pdfs_rendered_by_worker_processes_read_as_the_ones_rendered_alone(households, two_workers):
    run = run_april()

    assert run.status == InvoiceRun.Status.DONE and run.errors == []
    invoices = list(Invoice.objects.filter(run=run).order_by("number"))
    assert len(invoices) == len(households)
    for invoice in invoices:
        text = stored_text(invoice)
        assert f"Facture n° {invoice.number}" in text and invoice.payer_name in text
        assert text == pdf_text(render_invoice_pdf(invoice))


def test_a_worker_process_that_dies_once_costs_no_invoice_its_pdf(households, two_workers, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_worker, "render_task", crashing_render_task)
    CRASH.update(name="Camille CASSE", flag=str(tmp_path / "crashed-once"))

    run = run_april()

    assert (tmp_path / "crashed-once").exists()  # a worker did die
    assert run.status == InvoiceRun.Status.DONE and run.errors == []
    invoices = Invoice.objects.filter(run=run)
    assert invoices.count() == len(households)
    assert all(invoice.pdf.name for invoice in invoices)


def test_the_invoice_that_always_kills_its_worker_is_reported_and_the_others_get_their_pdf(
    households, two_workers, monkeypatch
):
    monkeypatch.setattr(pdf_worker, "render_task", crashing_render_task)
    CRASH.update(name="Camille CASSE", flag="")

    run = run_april()

    assert run.status == InvoiceRun.Status.DONE_WITH_ERRORS
    broken = Invoice.objects.get(run=run, payer_name="Camille CASSE")
    assert [error["message"] for error in run.errors] == [
        f"Facture {broken.number} : PDF non généré, il le sera au téléchargement."]
    assert not broken.pdf
    others = Invoice.objects.filter(run=run).exclude(pk=broken.pk)
    assert others.count() == len(households) - 1
    assert all(invoice.pdf.name for invoice in others)
