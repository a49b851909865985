"""Payments of every kind, allocated: a partial payment leaves the rest due, one payment pays
several invoices (oldest due first), an overpayment becomes the household's credit and pays the
next month's invoice, a bounced cheque or rejected direct debit puts the invoices back to unpaid."""

import datetime as dt
from decimal import Decimal

import pytest

from tenant_apps.bookings.tests.factories import book, school_days

from ..errors import InvalidAllocation, PaymentAlreadyReversed
from ..models import Invoice, Payment
from ..services import household_credit, household_invoice_issue, payment_record, payment_reverse

MAY = (dt.date(2019, 5, 1), dt.date(2019, 5, 31))


@pytest.fixture
def may_invoice(alain, canteen, canteen_tariff, april_invoice):
    """10 meals in May 2019: 33,00 €, issued after April's."""
    book(alain.child, canteen, school_days(*MAY)[:10])
    return household_invoice_issue(household_id=alain.household.pk, period_start=MAY[0], period_end=MAY[1])


def fresh(invoice: Invoice) -> tuple[str, Decimal]:
    invoice.refresh_from_db()
    return invoice.status, invoice.amount_paid


def test_a_partial_payment_at_the_counter_leaves_the_rest_due(alain, april_invoice):
    payment_record(household=alain.household, method="cash", amount=Decimal("30.00"))

    assert fresh(april_invoice) == (Invoice.Status.ISSUED, Decimal("30.00"))
    assert april_invoice.remaining == Decimal("49.20")
    assert household_credit(alain.household) == Decimal("0.00")


def test_one_cheque_pays_several_invoices_oldest_due_first(alain, april_invoice, may_invoice):
    assert may_invoice.total == Decimal("33.00")
    payment = payment_record(household=alain.household, method="cheque", amount=Decimal("100.00"),
                             reference="", cheque_number="1234567", bank="Crédit Agricole")

    assert fresh(april_invoice) == (Invoice.Status.PAID, Decimal("79.20"))
    assert fresh(may_invoice) == (Invoice.Status.ISSUED, Decimal("20.80"))
    assert sorted((a.invoice.number, a.amount) for a in payment.allocations.all()) == [
        ("000001", Decimal("79.20")), ("000002", Decimal("20.80"))]
    assert payment.invoice is None  # several invoices


def test_staff_choose_which_invoice_a_payment_goes_to(alain, april_invoice, may_invoice):
    payment_record(household=alain.household, method="ancv", amount=Decimal("33.00"),
                   allocations=[(may_invoice, Decimal("33.00"))])

    assert fresh(may_invoice) == (Invoice.Status.PAID, Decimal("33.00"))
    assert fresh(april_invoice) == (Invoice.Status.ISSUED, Decimal("0.00"))


def test_an_allocation_larger_than_what_is_due_is_refused_and_nothing_is_recorded(alain, april_invoice):
    with pytest.raises(InvalidAllocation):
        payment_record(household=alain.household, method="cesu", amount=Decimal("90.00"),
                       allocations=[(april_invoice, Decimal("90.00"))])
    assert not Payment.objects.exists()
    assert fresh(april_invoice) == (Invoice.Status.ISSUED, Decimal("0.00"))


def test_another_households_invoice_cannot_be_paid_by_this_one(alain, april_invoice, other_family):
    with pytest.raises(InvalidAllocation):
        payment_record(household=other_family.household, method="cash", amount=Decimal("10.00"),
                       allocations=[(april_invoice, Decimal("10.00"))])


def test_an_overpayment_becomes_a_credit_used_on_next_months_invoice(alain, canteen, april_invoice):
    # Given April paid with 100 € in cash: 20,80 € too much
    payment_record(household=alain.household, method="cash", amount=Decimal("100.00"))
    assert fresh(april_invoice) == (Invoice.Status.PAID, Decimal("79.20"))
    assert household_credit(alain.household) == Decimal("20.80")

    # When May is invoiced (33,00 €)
    book(alain.child, canteen, school_days(*MAY)[:10])
    may = household_invoice_issue(household_id=alain.household.pk, period_start=MAY[0], period_end=MAY[1])

    # Then the credit pays 20,80 € of it, 12,20 € remain due, and the credit is used up
    assert fresh(may) == (Invoice.Status.ISSUED, Decimal("20.80"))
    assert may.remaining == Decimal("12.20")
    assert household_credit(alain.household) == Decimal("0.00")
    [allocation] = may.allocations.all()
    assert allocation.from_credit and allocation.payment.method == "cash"


def test_a_bounced_cheque_puts_its_invoices_back_to_unpaid(alain, april_invoice, may_invoice):
    cash = payment_record(household=alain.household, method="cash", amount=Decimal("20.00"))
    cheque = payment_record(household=alain.household, method="cheque", amount=Decimal("92.20"),
                            cheque_number="7654321")
    assert fresh(april_invoice)[0] == fresh(may_invoice)[0] == Invoice.Status.PAID

    payment_reverse(payment=cheque, reason="Chèque sans provision")

    assert fresh(april_invoice) == (Invoice.Status.ISSUED, Decimal("20.00"))
    assert fresh(may_invoice) == (Invoice.Status.ISSUED, Decimal("0.00"))
    cheque.refresh_from_db()
    assert cheque.reversed_at is not None and cheque.reversal_reason == "Chèque sans provision"
    assert cash.reversed_at is None
    with pytest.raises(PaymentAlreadyReversed):
        payment_reverse(payment=cheque, reason="encore")


def test_a_rejected_direct_debit_recorded_by_the_directdebit_app_is_reversed(alain, april_invoice):
    debit = payment_record(household=alain.household, method="direct_debit", amount=Decimal("79.20"),
                           allocations=[(april_invoice, Decimal("79.20"))], reference="RUM-1 / E2E-000001")
    assert debit.get_method_display() == "Prélèvement"
    assert fresh(april_invoice) == (Invoice.Status.PAID, Decimal("79.20"))

    payment_reverse(payment=debit, reason="Rejet AM04 : provision insuffisante")

    assert fresh(april_invoice) == (Invoice.Status.ISSUED, Decimal("0.00"))


def test_a_reversed_overpayment_takes_back_the_credit_it_gave(alain, canteen, april_invoice):
    payment = payment_record(household=alain.household, method="transfer", amount=Decimal("100.00"))
    book(alain.child, canteen, school_days(*MAY)[:10])
    may = household_invoice_issue(household_id=alain.household.pk, period_start=MAY[0], period_end=MAY[1])
    assert fresh(may)[1] == Decimal("20.80")

    payment_reverse(payment=payment, reason="Virement rejeté")

    assert fresh(april_invoice) == (Invoice.Status.ISSUED, Decimal("0.00"))
    assert fresh(may) == (Invoice.Status.ISSUED, Decimal("0.00"))
    assert household_credit(alain.household) == Decimal("0.00")
