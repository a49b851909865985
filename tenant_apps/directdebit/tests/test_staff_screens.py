"""Staff at work: the town's creditor settings (a wrong ICS refused in French), the bank file of a run
generated and downloaded from the screen, a reject entered by hand, and the bank's reject files
(pain.002, camt.054) read: each reject recorded once, unknown references named."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tenant_apps.billing.models import Invoice

from ..bank_reports import rejects_from_bank_file
from ..errors import DebitNotRejectable
from ..models import Debit, DebitExport, DirectDebitSettings, Mandate
from ..sepa_file import validate_pain008
from .helpers import PARIS, RUN_DAY, active_mandate, creditor_settings, invoicing_run

TOWN = "/ville-a"
REJECT_DAY = dt.datetime(2027, 1, 8, 10, 0, tzinfo=PARIS)


def pain002(*transactions: tuple[str, str, str]) -> bytes:
    txs = "".join(
        f"<TxInfAndSts><StsId>S{i}</StsId><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>{status}</TxSts>"
        f"<StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn></StsRsnInf></TxInfAndSts>"
        for i, (e2e, status, reason) in enumerate(transactions))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>'
        "<GrpHdr><MsgId>R1</MsgId><CreDtTm>2027-01-07T08:00:00</CreDtTm></GrpHdr>"
        "<OrgnlGrpInfAndSts><OrgnlMsgId>M1</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId></OrgnlGrpInfAndSts>"
        f"<OrgnlPmtInfAndSts><OrgnlPmtInfId>P1</OrgnlPmtInfId>{txs}</OrgnlPmtInfAndSts>"
        "</CstmrPmtStsRpt></Document>"
    ).encode()


def camt054(e2e: str, reason: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>'
        "<GrpHdr><MsgId>N1</MsgId><CreDtTm>2027-01-07T08:00:00</CreDtTm></GrpHdr><Ntfctn><Id>1</Id>"
        "<Ntry><Amt Ccy=\"EUR\">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2027-01-06</Dt></BookgDt>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs>"
        f"<RtrInf><Rsn><Cd>{reason}</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>"
        "</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"
    ).encode()


def test_the_settings_screen_refuses_a_wrong_ics_in_french_and_saves_a_good_one(staff_client):
    form = {"enabled": "on", "creditor_id": "FR73ZZZ123456", "creditor_name": "Mairie de Ville A",
            "creditor_iban": "FR76 1007 1220 0000 0020 0012 306", "creditor_bic": "", "collection_rule":
            "days_after_issue", "collection_day": "10", "rejection_fee": "3,50", "suspend_after_rejects": "3"}
    page = staff_client.post(f"{TOWN}/gestion/prelevements/reglages/", form).content.decode()
    assert "La clé de l&#x27;ICS « FR73ZZZ123456 » est fausse" in page
    assert not DirectDebitSettings.objects.exists()
    staff_client.post(f"{TOWN}/gestion/prelevements/reglages/", {**form, "creditor_id": "FR72ZZZ123456"})
    rules = DirectDebitSettings.current()
    assert (rules.creditor_iban, rules.creditor_bic, rules.rejection_fee) == (
        "FR7610071220000000200012306", "TRPUFRP1XXX", Decimal("3.50"))
    assert rules.collection_date_for(dt.date(2026, 12, 1)) == dt.date(2026, 12, 11)


@pytest.fixture
def run(family, canteen):
    creditor_settings()
    active_mandate(family.household)
    return invoicing_run(canteen, [family.child])


def test_staff_generate_and_download_the_file_then_enter_a_reject(run, family, staff_client, staff):
    with time_machine.travel(RUN_DAY, tick=False):
        response = staff_client.post(f"{TOWN}/gestion/prelevements/fichiers/", {"run": run.pk}, follow=True)
        assert "Fichier de prélèvement créé : 1 prélèvement, " in response.content.decode()
        export = DebitExport.objects.get()
        download = staff_client.get(f"{TOWN}/gestion/prelevements/fichiers/{export.pk}/")
    assert download["Content-Disposition"].startswith('attachment; filename="prelevements-20270105')
    validate_pain008(download.content)
    assert export.created_by == staff

    debit = Debit.objects.get()
    with time_machine.travel(REJECT_DAY, tick=False):
        staff_client.force_login(staff)  # a week later: a new session
        page = staff_client.get(f"{TOWN}/gestion/prelevements/").content.decode()
        assert f"Déclarer le rejet de {debit.end_to_end_id}" in page
        staff_client.post(f"{TOWN}/gestion/prelevements/prelevements/{debit.pk}/rejet/",
                          {"rejected_on": "2027-01-07", "reason": "AC04"})
    debit.refresh_from_db()
    assert debit.status == "rejected" and debit.reject_reason == "AC04"
    assert Invoice.objects.get(pk=debit.invoice_id).status == Invoice.Status.ISSUED


def test_the_banks_pain002_rejects_are_recorded_once_and_unknown_ones_named(run, staff_client, staff):
    with time_machine.travel(RUN_DAY, tick=False):
        staff_client.post(f"{TOWN}/gestion/prelevements/fichiers/", {"run": run.pk})
    debit = Debit.objects.get()
    content = pain002((debit.end_to_end_id, "RJCT", "MD01"), ("INCONNU-1", "RJCT", "AM04"), ("X", "ACCP", ""))
    with time_machine.travel(REJECT_DAY, tick=False):
        staff_client.force_login(staff)  # a week later: a new session
        page = staff_client.post(f"{TOWN}/gestion/prelevements/rejets-banque/",
                                 {"bank_file": SimpleUploadedFile("rejets.xml", content, "text/xml")},
                                 follow=True).content.decode()
        again = staff_client.post(f"{TOWN}/gestion/prelevements/rejets-banque/",
                                  {"bank_file": SimpleUploadedFile("rejets.xml", content, "text/xml")},
                                  follow=True).content.decode()
    assert "1 rejet enregistré" in page and "Références inconnues dans le fichier : INCONNU-1." in page
    assert "Aucun nouveau rejet dans ce fichier." in again and f"Déjà enregistrés comme rejetés : {debit.end_to_end_id}." in again
    debit.refresh_from_db()
    assert (debit.status, debit.reject_reason, debit.rejected_on) == ("rejected", "MD01", dt.date(2027, 1, 7))
    assert Mandate.objects.get().rejects == 1


def test_a_camt054_return_is_read_and_a_file_of_another_kind_refused():
    assert [(r.end_to_end_id, r.reason, r.day) for r in rejects_from_bank_file(camt054("000381", "AM04"))] == [
        ("000381", "AM04", dt.date(2027, 1, 6))]
    with pytest.raises(DebitNotRejectable, match="ni un pain.002 ni un camt.054"):
        rejects_from_bank_file(b"<Document><Autre/></Document>")
    with pytest.raises(DebitNotRejectable, match="pas un fichier XML"):
        rejects_from_bank_file(b"%PDF-1.4")
