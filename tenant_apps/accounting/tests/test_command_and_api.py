"""`manage.py export_pes` for operators, and the staff-only API listing exports and their files."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from lxml import etree

from .. import pes
from ..models import ExportRecord
from .stories import accounting_ready, november_run

pytestmark = pytest.mark.django_db


def test_export_pes_writes_a_valid_file(town, canteen, family, tmp_path):
    accounting_ready(canteen)
    run = november_run(canteen, family)
    output = tmp_path / "pes.xml"

    call_command("export_pes", "ville-a", "--run", str(run.pk), "--output", str(output))

    connection.set_tenant(town)
    assert pes.schema().validate(etree.fromstring(output.read_bytes()))
    assert ExportRecord.objects.get().kind == ExportRecord.Kind.PES


def test_export_pes_exits_non_zero_with_the_reason_when_the_file_would_not_validate(town, canteen, family,
                                                                                     tmp_path):
    accounting_ready(canteen, cod_col="1 3")
    run = november_run(canteen, family)
    output = tmp_path / "pes.xml"

    with pytest.raises(CommandError, match="ne respecte pas le schéma de la DGFiP.*CodCol"):
        call_command("export_pes", "ville-a", "--run", str(run.pk), "--output", str(output))

    assert not Path(output).exists()


def test_staff_list_exports_and_download_a_file_through_the_api(staff_client, canteen, family):
    accounting_ready(canteen)
    run = november_run(canteen, family)
    staff_client.post("/ville-a/gestion/comptabilite/", {"run": run.pk, "fmt": "pes"})

    listing = staff_client.get("/ville-a/api/v1/accounting/exports/").json()

    assert [(e["kind"], e["invoice_numbers"], e["bordereau_number"]) for e in listing] == [("pes", ["000001"], 1)]
    download = staff_client.get(f"/ville-a/api/v1/accounting/exports/{listing[0]['id']}/file/")
    assert download.status_code == 200 and b"PES_Aller" in b"".join(download.streaming_content)


def test_parents_get_403_from_the_accounting_api_as_documented(parent_client, canteen, family):
    response = parent_client.get("/ville-a/api/v1/accounting/exports/")
    assert response.status_code == 403 and response.json()["detail"]
    schema = parent_client.get("/ville-a/api/v1/schema/?format=json").json()
    for path in ("/ville-a/api/v1/accounting/exports/", "/ville-a/api/v1/accounting/exports/{record_id}/file/"):
        documented = schema["paths"].get(path) or schema["paths"][path.removeprefix("/ville-a")]
        assert "403" in documented["get"]["responses"]
