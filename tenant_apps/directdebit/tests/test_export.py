"""The bank file of a real invoicing run: pain.008.001.02 valid against its XSD, its sum the sum of
the debited invoices, end-to-end ids the invoice numbers, FRST for a mandate's first debit then
RCUR, an account change reported once, nothing exported twice; `manage.py export_sepa`."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from lxml import etree

from tenant_apps.billing.errors import OnlinePaymentUnavailable
from tenant_apps.billing.models import Invoice, Payment
from tenant_apps.billing.pdf import invoice_context
from tenant_apps.billing.services import payment_start

from ..errors import NothingToDebit
from ..models import Debit, Mandate
from ..sepa_file import NS, validate_pain008
from ..services import debit_export_create, mandate_change_account
from .helpers import (
    BERNARD_IBAN,
    DECEMBER,
    PARIS,
    RUN_DAY,
    active_mandate,
    creditor_settings,
    invoicing_run,
)

JANUARY_RUN_DAY = dt.datetime(2027, 1, 4, 10, 0, tzinfo=PARIS)


def _xml(export) -> etree._Element:
    return etree.fromstring(export.content.encode("utf-8"))


def _transactions(root) -> dict[str, etree._Element]:
    return {tx.findtext(f"{{{NS}}}PmtId/{{{NS}}}EndToEndId"): tx for tx in root.iter(f"{{{NS}}}DrctDbtTxInf")}


def _sequence_of(tx) -> str:
    return tx.getparent().findtext(f"{{{NS}}}PmtTpInf/{{{NS}}}SeqTp")


@pytest.fixture
def two_families_one_on_direct_debit(family, other_family, canteen):
    creditor_settings()
    active_mandate(family.household)
    run = invoicing_run(canteen, [family.child, other_family.child])
    return run


def test_the_file_of_a_run_validates_and_its_sum_is_the_debited_invoices(two_families_one_on_direct_debit, family,
                                                                         other_family, staff):
    run = two_families_one_on_direct_debit
    alain = Invoice.objects.get(run=run, household=family.household)
    with time_machine.travel(RUN_DAY, tick=False):
        export = debit_export_create(run=run, created_by=staff)

    # The file validates against the pain.008.001.02 schema sepaxml ships
    validate_pain008(export.content.encode("utf-8"))
    root = _xml(export)
    # Only the household with a mandate is debited, for what its invoice says, on 5 January (the town's rule)
    transactions = _transactions(root)
    assert list(transactions) == [alain.number]
    assert Decimal(transactions[alain.number].findtext(f"{{{NS}}}InstdAmt")) == alain.total
    assert root.findtext(f".//{{{NS}}}GrpHdr/{{{NS}}}CtrlSum") == f"{alain.total:.2f}"
    assert root.findtext(f".//{{{NS}}}ReqdColltnDt") == "2027-01-05"
    assert export.total == alain.total and export.count == 1
    # Who, when, which invoices, checksum
    assert export.created_by == staff and len(export.checksum) == 64
    assert [d.invoice for d in export.debits.all()] == [alain]
    # The invoice is settled by the debit (its PDF says when); BERNARD's is untouched
    alain.refresh_from_db()
    with time_machine.travel(RUN_DAY, tick=False):
        assert invoice_context(alain)["settlement"] == "Prélèvement le 05/01/2027"
    assert alain.status == Invoice.Status.PAID
    assert alain.payments.get().method == Payment.Method.DIRECT_DEBIT
    assert Invoice.objects.get(run=run, household=other_family.household).status == Invoice.Status.ISSUED


def test_an_invoice_is_never_exported_twice(two_families_one_on_direct_debit):
    run = two_families_one_on_direct_debit
    with time_machine.travel(RUN_DAY, tick=False):
        debit_export_create(run=run)
        with pytest.raises(NothingToDebit):
            debit_export_create(run=run)
    assert Debit.objects.count() == 1


def test_frst_for_the_first_debit_then_rcur(two_families_one_on_direct_debit, family, canteen):
    with time_machine.travel(RUN_DAY, tick=False):
        first = debit_export_create(run=two_families_one_on_direct_debit)
    assert [_sequence_of(tx) for tx in _transactions(_xml(first)).values()] == ["FRST"]
    assert Mandate.objects.get(household=family.household).sequence == "RCUR"

    december = invoicing_run(canteen, [family.child], DECEMBER, on=JANUARY_RUN_DAY)
    with time_machine.travel(JANUARY_RUN_DAY, tick=False):
        second = debit_export_create(run=december)
    assert [_sequence_of(tx) for tx in _transactions(_xml(second)).values()] == ["RCUR"]
    assert _xml(second).findtext(f".//{{{NS}}}ReqdColltnDt") == "2027-02-05"


def test_an_account_change_is_reported_in_the_next_file_only(two_families_one_on_direct_debit, family, canteen):
    with time_machine.travel(RUN_DAY, tick=False):
        debit_export_create(run=two_families_one_on_direct_debit)
    mandate = Mandate.objects.get(household=family.household)
    # Given the family moved to another bank
    mandate_change_account(mandate=mandate, iban=BERNARD_IBAN, bic="PSSTFRPP")
    december = invoicing_run(canteen, [family.child], DECEMBER, on=JANUARY_RUN_DAY)
    with time_machine.travel(JANUARY_RUN_DAY, tick=False):
        export = debit_export_create(run=december)
    validate_pain008(export.content.encode("utf-8"))
    tx = next(iter(_transactions(_xml(export)).values()))
    # Then the debit says the mandate was amended (another bank: SMNDA, and a first debit again)
    assert tx.findtext(f".//{{{NS}}}AmdmntInd") == "true"
    assert tx.findtext(f".//{{{NS}}}OrgnlDbtrAgt/{{{NS}}}FinInstnId/{{{NS}}}Othr/{{{NS}}}Id") == "SMNDA"
    assert _sequence_of(tx) == "FRST"
    assert tx.findtext(f".//{{{NS}}}DbtrAcct/{{{NS}}}Id/{{{NS}}}IBAN") == BERNARD_IBAN
    assert mandate.amendments.get().reported_in == export


def test_online_payment_of_an_invoice_on_direct_debit_is_refused(two_families_one_on_direct_debit, family, town):
    from shared_apps.payments.services import payment_config_set

    payment_config_set(town=town, backend="dummy", params={}, enabled=True)
    alain = Invoice.objects.get(household=family.household)
    with time_machine.travel(RUN_DAY, tick=False), pytest.raises(OnlinePaymentUnavailable) as refused:
        payment_start(invoice=alain, payer_email=family.user.email)
    assert "réglée par prélèvement automatique (Prélèvement le 05/01/2027)" in str(refused.value.message)


def test_export_sepa_command_writes_the_file_or_says_why_not(two_families_one_on_direct_debit, town, tmp_path):
    run = two_families_one_on_direct_debit
    output = tmp_path / "prelevements.xml"
    with time_machine.travel(RUN_DAY, tick=False):
        call_command("export_sepa", town.slug, "--run", str(run.pk), "--output", str(output))
    validate_pain008(output.read_bytes())
    with time_machine.travel(RUN_DAY, tick=False), pytest.raises(CommandError, match="Aucune facture à prélever"):
        call_command("export_sepa", town.slug, "--run", str(run.pk), "--output", str(tmp_path / "again.xml"))
    assert not (tmp_path / "again.xml").exists()


def test_a_file_that_would_not_validate_is_refused_and_nothing_is_recorded(two_families_one_on_direct_debit, town,
                                                                          tmp_path):
    # Given a mandate whose BIC was damaged in the database (the services never store one like it)
    Mandate.objects.update(bic="AGRI")
    with time_machine.travel(RUN_DAY, tick=False), pytest.raises(CommandError, match="pain.008.001.02"):
        call_command("export_sepa", town.slug, "--run", str(two_families_one_on_direct_debit.pk),
                     "--output", str(tmp_path / "bad.xml"))
    connection.set_tenant(town)  # the command steps back to public
    assert not (tmp_path / "bad.xml").exists()
    assert not Debit.objects.exists()
    assert Invoice.objects.filter(status=Invoice.Status.PAID).count() == 0


def test_invoices_issued_before_the_mandate_keep_payer_and_are_not_debited(family, canteen):
    from ..selectors import debit_notes

    # Given November was invoiced before the family set up direct debit
    creditor_settings()
    run = invoicing_run(canteen, [family.child])
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=PARIS), tick=False):
        from ..services import mandate_request, mandate_validate
        from .helpers import signed_mandate_pdf

        mandate_validate(mandate=mandate_request(household=family.household, debtor_name="Marie ALAIN",
                                                 iban="FR7630006000011234567890189", document=signed_mandate_pdf()))
        # Then that invoice still offers PAYER and is not in the run's file
        assert debit_notes(list(Invoice.objects.filter(run=run))) == {}
        with pytest.raises(NothingToDebit):
            debit_export_create(run=run)
