"""A town that bills its holiday centre in advance invoices the month while it runs; the canteen
days still to come that month are billed after it ends, on a complementary invoice — never
forgotten, never billed twice."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tenant_apps.bookings.models import Booking
from tenant_apps.bookings.tests.factories import book, school_days
from tenant_apps.catalog.tests.factories import ServiceFactory

from ..models import Invoice
from ..services import invoice_run_execute, invoice_run_start
from .factories import TariffFactory

PARIS = ZoneInfo("Europe/Paris")
DECEMBER = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
MID_DECEMBER = dt.datetime(2026, 12, 10, 9, 0, tzinfo=PARIS)
EARLY_JANUARY = dt.datetime(2027, 1, 4, 9, 0, tzinfo=PARIS)


@pytest.fixture
def meals(town):
    service = ServiceFactory(name="Repas Enfant")
    TariffFactory(service=service)
    return service


@pytest.fixture
def holiday_club(town):
    service = ServiceFactory(name="ALSH Noël", billed_in_advance=True, weekdays=[0, 1, 2, 3, 4])
    TariffFactory(service=service)
    return service


def run_december(when):
    with time_machine.travel(when, tick=False):
        run = invoice_run_start(period_start=DECEMBER[0], period_end=DECEMBER[1], with_pdfs=False)
        run = invoice_run_execute(run_id=run.pk)
    return run


def test_the_canteen_days_left_after_a_run_billed_in_advance_go_on_a_complementary_invoice(
    family, meals, holiday_club
):
    theo = family.child
    canteen_days = school_days(dt.date(2026, 12, 1), dt.date(2026, 12, 18))
    book(theo, meals, canteen_days)
    book(theo, holiday_club, [dt.date(2026, 12, 21), dt.date(2026, 12, 22)])

    # On 10 December, staff invoice December: the holiday club in advance, the canteen to the 9th
    first = run_december(MID_DECEMBER)
    [invoice] = Invoice.objects.filter(run=first)
    assert {line.service_name: line.quantity for line in invoice.lines.all()} == {
        "Repas Enfant": len(school_days(dt.date(2026, 12, 1), dt.date(2026, 12, 9))),
        "ALSH Noël": 2,
    }

    # In January, December is invoiced again: the household gets a second invoice, for the rest
    second = run_december(EARLY_JANUARY)
    assert second.invoices_created == 1
    [complement] = Invoice.objects.filter(run=second)
    assert complement.number != invoice.number
    assert {line.service_name: line.quantity for line in complement.lines.all()} == {
        "Repas Enfant": len(school_days(dt.date(2026, 12, 10), dt.date(2026, 12, 18))),
    }
    # Every booking of December is billed, and once
    assert not Booking.objects.filter(invoiced=False).exists()
    billed = [booking for invoice in Invoice.objects.all() for line in invoice.lines.all()
              for booking in line.bookings.all()]
    assert len(billed) == len(set(billed)) == len(canteen_days) + 2


def test_a_third_run_of_the_month_finds_nothing_left_and_issues_nothing(family, meals, holiday_club):
    book(family.child, meals, school_days(dt.date(2026, 12, 1), dt.date(2026, 12, 18)))
    run_december(MID_DECEMBER)
    run_december(EARLY_JANUARY)

    third = run_december(EARLY_JANUARY + dt.timedelta(days=1))

    assert third.invoices_created == 0
    assert Invoice.objects.count() == 2
