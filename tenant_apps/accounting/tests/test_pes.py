"""The PES V2 file of an invoicing run: it validates against the DGFiP schema, its totals are the
run's, each invoice is an ORMC title with its lines and debtor, direct-debit households carry the
SEPA block, and a town whose settings are incomplete gets a clear refusal and no file."""

import datetime as dt
import sys
from decimal import Decimal
from types import ModuleType, SimpleNamespace

import pytest
from lxml import etree

from tenant_apps.billing.models import Invoice

from .. import pes
from ..errors import AccountingSettingsIncomplete, PesFileInvalid
from ..models import ExportRecord
from ..sepa import SepaDebit, sepa_debit_for
from ..services import pes_content, pes_export_create
from .stories import accounting_ready, november_run

pytestmark = pytest.mark.django_db


def parsed(record: ExportRecord) -> etree._Element:
    with record.file.open("rb") as stream:
        return etree.fromstring(stream.read())


def values(document, path: str) -> list[str]:
    return [element.get("V") for element in document.iterfind(path)]


def test_the_pes_file_of_a_run_validates_and_its_totals_are_the_runs(canteen, family, other_family, staff):
    accounting_ready(canteen)
    run = november_run(canteen, family, other_family)
    invoices = list(Invoice.objects.filter(run=run).order_by("sequence"))
    assert len(invoices) == 2

    record = pes_export_create(run_id=run.pk, user=staff)

    with record.file.open("rb") as stream:
        content = stream.read()
    assert content.startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")
    assert pes.schema().validate(etree.fromstring(content))
    document = etree.fromstring(content)
    run_total = sum(invoice.total for invoice in invoices)
    assert values(document, ".//BlocBordereau/MtBordHt") == [f"{run_total:.2f}"]
    assert values(document, ".//BlocBordereau/NbrPce") == ["2"]
    assert values(document, ".//BlocBordereau/TypBord") == ["06"]
    assert sum(Decimal(v) for v in values(document, ".//InfoLignePiece/MtHT")) == run_total
    # One ORMC title per invoice, its debt number the invoice number.
    assert values(document, ".//BlocPiece/TypPce") == ["15", "15"]
    assert values(document, ".//BlocPiece/NumDette") == [str(int(invoice.number)) for invoice in invoices]
    assert values(document, ".//EnTetePES/IdPost") == ["022030"]
    # The debtor is the payer, in upper case, with the household's address.
    assert "ALAIN" in values(document, ".//InfoTiers/Nom")
    assert "MARIE" in values(document, ".//InfoTiers/Prenom")
    assert values(document, ".//Tiers/Adresse/CP")[0] == family.household.postcode
    assert set(values(document, ".//InfoLignePiece/CodProdLoc")) == {"CA01"}
    assert "PES_PJ" not in content.decode("iso-8859-1")  # no PDFs in this run
    assert (record.invoice_count, record.total, record.bordereau_number) == (2, run_total, 1)
    assert record.created_by == staff and len(record.checksum) == 64


def test_a_run_with_pdfs_attaches_each_invoice_pdf(canteen, family):
    accounting_ready(canteen)
    run = november_run(canteen, family, with_pdfs=True)

    document = parsed(pes_export_create(run_id=run.pk))

    invoice = Invoice.objects.get(run=run)
    assert values(document, ".//BlocPiece/PJRef/IdUnique") == values(document, "PES_PJ/PJ/IdUnique")
    assert values(document, "PES_PJ/PJ/NomPJ") == [f"facture-{invoice.number}.pdf"]
    assert document.find("PES_PJ/PJ/Contenu/Fichier").get("MIMEType") == "application/pdf"


def test_a_household_paying_by_direct_debit_carries_the_sepa_block(canteen, family, other_family):
    settings = accounting_ready(canteen)
    run = november_run(canteen, family, other_family)
    invoices = list(Invoice.objects.filter(run=run).prefetch_related("lines").order_by("sequence"))
    mandate = SepaDebit(rum="PF-VILLEA-000001", signed_on=dt.date(2026, 9, 2), iban="FR7630006000011234567890189",
                        bic="AGRIFRPPXXX", debtor_name="Marie ALAIN", sequence="FRST")

    def alain_pays_by_debit(invoice):
        return mandate if invoice.household_id == family.household.pk else None

    content = pes_content(invoices=invoices, settings=settings, bordereau_number=7, filename="PES.xml",
                          sepa=alain_pays_by_debit)

    document = etree.fromstring(content)
    alain, bernard = document.findall(".//Piece")
    # Every line of the title (Théo's and Anna's) carries the same mandate; their debits add up to the invoice.
    assert values(alain, ".//InfoPrelevementSEPA/RefUniMdt") == ["PF-VILLEA-000001"] * 2
    assert set(values(alain, ".//InfoPrelevementSEPA/SequencePres")) == {"02"}
    assert set(values(alain, ".//InfoPrelevementSEPA/DateSignMandat")) == {"2026-09-02"}
    assert sum(Decimal(v) for v in values(alain, ".//InfoPrelevementSEPA/MtPrel")) == invoices[0].total
    assert set(values(alain, ".//CpteBancaire/IBAN")) == {"FR7630006000011234567890189"}
    assert bernard.find(".//InfoPrelevementSEPA") is None


def test_without_the_direct_debit_app_no_invoice_is_debited(canteen, family):
    accounting_ready(canteen)
    run = november_run(canteen, family)
    assert sepa_debit_for(Invoice.objects.get(run=run)) is None


def test_the_direct_debit_apps_active_mandate_is_used_when_installed(canteen, family, monkeypatch):
    run = november_run(canteen, family)
    mandate = SimpleNamespace(rum="RUM-1", signed_on=dt.date(2026, 9, 2), iban="FR7630006000011234567890189",
                              bic="AGRIFRPPXXX", debtor_name="", sequence="first")
    selectors = ModuleType("tenant_apps.directdebit.selectors")
    selectors.active_mandate_for_household = lambda household: mandate if household == family.household else None
    monkeypatch.setitem(sys.modules, "tenant_apps.directdebit.selectors", selectors)

    debit = sepa_debit_for(Invoice.objects.get(run=run))

    assert debit == SepaDebit(rum="RUM-1", signed_on=dt.date(2026, 9, 2), iban="FR7630006000011234567890189",
                              bic="AGRIFRPPXXX", debtor_name="Marie ALAIN", sequence="first")
    assert pes.SEQUENCE_CODES[debit.sequence.upper()] == "02"


def test_missing_poste_comptable_is_refused_in_french_and_no_file_is_made(canteen, family):
    accounting_ready(canteen, id_post="")
    run = november_run(canteen, family)

    with pytest.raises(AccountingSettingsIncomplete) as refusal:
        pes_export_create(run_id=run.pk)

    assert "renseignez le poste comptable (IdPost)" in str(refusal.value.message)
    assert not ExportRecord.objects.exists()


def test_a_service_without_product_code_is_named_in_the_refusal(canteen, family):
    accounting_ready()
    run = november_run(canteen, family)
    with pytest.raises(AccountingSettingsIncomplete, match="CodProdLoc.*Repas Enfant"):
        pes_export_create(run_id=run.pk)


def test_a_file_the_schema_rejects_is_never_offered_and_the_error_says_why(canteen, family):
    # A code collectivité of letters and a space passes no form, but would break the file.
    accounting_ready(canteen, cod_col="1 3")
    run = november_run(canteen, family)

    with pytest.raises(PesFileInvalid) as refusal:
        pes_export_create(run_id=run.pk)

    message = str(refusal.value.message)
    assert "ne respecte pas le schéma de la DGFiP" in message and "CodCol" in message
    assert not ExportRecord.objects.exists()
