"""A debit the bank rejects: the invoice is due again (its payment removed, PAYER back), the family
is told by e-mail with the reason and the town's fee, and after N rejects the mandate is suspended
(the next run's invoices are no longer debited)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tenant_apps.billing.models import Invoice, Payment

from ..errors import DebitNotRejectable, NothingToDebit
from ..models import Debit, Mandate
from ..selectors import debit_notes
from ..services import debit_export_create, debit_reject
from .helpers import DECEMBER, PARIS, RUN_DAY, active_mandate, creditor_settings, invoicing_run

JANUARY_RUN_DAY = dt.datetime(2027, 1, 4, 10, 0, tzinfo=PARIS)
REJECT_DAY = dt.datetime(2027, 1, 8, 10, 0, tzinfo=PARIS)
FEBRUARY_DAY = dt.datetime(2027, 2, 9, 10, 0, tzinfo=PARIS)


@pytest.fixture
def debited(family, canteen):
    creditor_settings(rejection_fee=Decimal("5.00"), suspend_after_rejects=2)
    active_mandate(family.household)
    run = invoicing_run(canteen, [family.child])
    with time_machine.travel(RUN_DAY, tick=False):
        export = debit_export_create(run=run)
    return export.debits.get()


def test_a_rejected_debit_makes_the_invoice_due_again_and_tells_the_family(
        debited, family, staff, run_jobs, mailoutbox, django_capture_on_commit_callbacks):
    invoice = debited.invoice
    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.PAID

    # When staff enter the bank's reject: insufficient funds
    with time_machine.travel(REJECT_DAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        debit_reject(debit=debited, rejected_on=dt.date(2027, 1, 7), reason="AM04", rejected_by=staff)
    run_jobs()

    # Then the invoice is unpaid again, its direct-debit payment reversed
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED and invoice.amount_paid == 0
    assert not Payment.objects.filter(invoice=invoice, reversed_at__isnull=True).exists()
    # And the debit keeps the trace, with the town's fee
    debit = Debit.objects.get(pk=debited.pk)
    assert (debit.status, debit.reject_reason, debit.fee, debit.rejected_by) == ("rejected", "AM04", Decimal("5.00"), staff)
    # And PAYER is offered again for that invoice (no "Prélèvement le …")
    with time_machine.travel(REJECT_DAY, tick=False):
        assert debit_notes([invoice]) == {}
    # And the family got an e-mail saying why, and the fee
    [mail] = mailoutbox
    assert mail.to == [family.user.email]
    assert f"le prélèvement de la facture {invoice.number} a été rejeté" in mail.subject
    assert "AM04 – provision insuffisante" in mail.body
    assert "Des frais de rejet de 5,00\u00a0€ s'appliquent" in mail.body
    assert "suspendu" not in mail.body
    # And one reject is below the town's limit of two: the mandate stays active
    assert Mandate.objects.get(pk=debited.mandate_id).status == Mandate.Status.ACTIVE


def test_a_debit_is_rejected_once_with_a_known_reason(debited):
    with time_machine.travel(REJECT_DAY, tick=False):
        with pytest.raises(DebitNotRejectable, match="Motif de rejet inconnu"):
            debit_reject(debit=debited, rejected_on=dt.date(2027, 1, 7), reason="ZZ99")
        debit_reject(debit=debited, rejected_on=dt.date(2027, 1, 7), reason="AC01")
        with pytest.raises(DebitNotRejectable, match="déjà enregistré comme rejeté"):
            debit_reject(debit=debited, rejected_on=dt.date(2027, 1, 7), reason="AC01")


def test_after_two_rejects_the_mandate_is_suspended_and_the_next_run_is_not_debited(
        debited, family, canteen, run_jobs, mailoutbox, django_capture_on_commit_callbacks):
    with time_machine.travel(REJECT_DAY, tick=False):
        debit_reject(debit=debited, rejected_on=dt.date(2027, 1, 7), reason="AM04")
    december = invoicing_run(canteen, [family.child], DECEMBER, on=JANUARY_RUN_DAY)
    with time_machine.travel(JANUARY_RUN_DAY, tick=False):
        second = debit_export_create(run=december).debits.get()

    # When the bank rejects the second debit too
    with time_machine.travel(FEBRUARY_DAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        debit_reject(debit=second, rejected_on=dt.date(2027, 2, 8), reason="MS02")
    run_jobs()

    # Then the mandate is suspended and the family is told
    mandate = Mandate.objects.get(pk=debited.mandate_id)
    assert mandate.status == Mandate.Status.SUSPENDED and mandate.rejects == 2
    assert "votre prélèvement automatique est suspendu" in mailoutbox[-1].body
    # And its invoices are no longer shown as debited nor exported
    with time_machine.travel(FEBRUARY_DAY, tick=False):
        assert debit_notes(list(Invoice.objects.filter(household=family.household))) == {}
        with pytest.raises(NothingToDebit):
            debit_export_create(run=december, represent_rejected=True)


def test_a_rejected_invoice_is_presented_again_only_when_asked(debited):
    with time_machine.travel(REJECT_DAY, tick=False):
        debit_reject(debit=debited, rejected_on=dt.date(2027, 1, 7), reason="AM04")
        with pytest.raises(NothingToDebit):
            debit_export_create(run=debited.export.run)
        again = debit_export_create(run=debited.export.run, represent_rejected=True).debits.get()
    assert again.invoice == debited.invoice
    assert again.end_to_end_id == f"{debited.invoice.number}-2"
    assert again.sequence == "RCUR"
