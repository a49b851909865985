"""Staff screens: settings (SIRET checked, product codes per service), exporting a run with the
invoices already sent flagged before generating, the history and downloads; parents are kept out."""

import html
import io

import pytest
from openpyxl import load_workbook

from ..models import AccountingSettings, ExportRecord, ServiceAccounting
from .stories import SIRET, accounting_ready, november_run

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_staff_fill_in_the_settings_and_a_product_code_per_service(staff_client, canteen):
    page = staff_client.get("/ville-a/gestion/comptabilite/parametres/")
    assert "Code produit local (CodProdLoc) de chaque prestation" in text(page)

    form = {"id_post": "022030", "id_coll": SIRET, "cod_col": "113", "cod_bud": "01", "fiscal_year": "2026",
            "nature": "7066", "ormc_nature_code": "01", f"code_{canteen.pk}": "rest"}
    response = staff_client.post("/ville-a/gestion/comptabilite/parametres/", form, follow=True)

    assert "Paramètres comptables enregistrés." in text(response)
    assert AccountingSettings.objects.get().id_coll == SIRET
    assert ServiceAccounting.objects.get(service=canteen).cod_prod_loc == "REST"


def test_a_wrong_siret_is_refused_with_the_reason(staff_client, canteen):
    response = staff_client.post("/ville-a/gestion/comptabilite/parametres/",
                                 {"id_post": "022030", "id_coll": "21220113700019", "cod_col": "113",
                                  "nature": "7066", "ormc_nature_code": "01"})
    assert response.status_code == 400
    assert "Ce SIRET n'est pas valide" in text(response)
    assert not AccountingSettings.objects.exists()


def test_staff_export_a_run_and_see_invoices_already_sent_flagged(staff_client, canteen, family, other_family):
    accounting_ready(canteen)
    run = november_run(canteen, family, other_family)
    choice = {"run": run.pk, "fmt": "pes"}

    preview = text(staff_client.get("/ville-a/gestion/comptabilite/", choice))
    assert "2 factures" in preview and "Déjà exportées :" not in preview
    first = staff_client.post("/ville-a/gestion/comptabilite/", choice, follow=True)
    assert "Export enregistré : PES_113_" in text(first)

    # Given the run was sent once, when staff prepare it again, the screen warns before generating…
    again = text(staff_client.get("/ville-a/gestion/comptabilite/", choice))
    assert "Déjà exportées : 000001, 000002" in again
    # …and the second record keeps the flag.
    second = staff_client.post("/ville-a/gestion/comptabilite/", choice, follow=True)
    assert "2 factures figuraient déjà dans un export précédent" in text(second)
    records = list(ExportRecord.objects.order_by("pk"))
    assert [r.already_exported for r in records] == [[], ["000001", "000002"]]
    assert [r.bordereau_number for r in records] == [1, 2]

    download = staff_client.get(f"/ville-a/gestion/comptabilite/exports/{records[1].pk}/telecharger/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")


def test_a_refused_pes_export_shows_the_french_reason_and_records_nothing(staff_client, canteen, family):
    accounting_ready(canteen, id_post="")
    run = november_run(canteen, family)
    response = staff_client.post("/ville-a/gestion/comptabilite/", {"run": run.pk, "fmt": "pes"})
    assert response.status_code == 400
    assert "Paramètres comptables incomplets : renseignez le poste comptable (IdPost)" in text(response)
    assert not ExportRecord.objects.exists()


def test_invoices_as_xlsx_one_row_per_line(staff_client, canteen, family):
    run = november_run(canteen, family)
    staff_client.post("/ville-a/gestion/comptabilite/", {"run": run.pk, "fmt": "xlsx"})
    record = ExportRecord.objects.get()
    assert record.kind == ExportRecord.Kind.INVOICES_XLSX
    with record.file.open("rb") as stream:
        rows = list(load_workbook(io.BytesIO(stream.read())).active.iter_rows(values_only=True))
    assert rows[0] == ("Foyer", "Payeur", "Enfant", "Prestation", "Du", "Au", "Quantité", "Prix unitaire",
                       "Montant", "N° de facture", "Statut")
    assert len(rows) == 3  # Théo's and Anna's lines
    assert {row[2] for row in rows[1:]} == {"Théo ALAIN", "Anna ALAIN"}
    assert {row[9] for row in rows[1:]} == {"000001"}


def test_parents_cannot_reach_the_accounting_screens(parent_client, canteen, family):
    run = november_run(canteen, family)
    record = ExportRecord.objects.create(kind=ExportRecord.Kind.PES, checksum="0" * 64, filename="x.xml", run=run)
    for url in ("/ville-a/gestion/comptabilite/", "/ville-a/gestion/comptabilite/parametres/",
                f"/ville-a/gestion/comptabilite/exports/{record.pk}/telecharger/"):
        response = parent_client.get(url)
        assert response.status_code == 302 and "/connexion/" in response.url
