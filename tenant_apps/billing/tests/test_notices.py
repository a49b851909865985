"""Telling families: a run's invoices reach each household in one "Nouvelle facture disponible"
e-mail (the run screen counts them), and unpaid invoices are reminded at the town's delays
after the due date, once per delay, never once paid or collected by direct debit."""

import datetime as dt
import html
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tenant_apps.bookings.tests.factories import book, school_days
from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory

from ..models import BillingSettings, Invoice, InvoiceReminder
from ..services import (
    household_invoice_issue,
    invoice_reminders_send,
    invoice_run_start,
    payment_record_counter,
)
from .conftest import APRIL

PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"


def test_a_run_sends_each_household_one_new_invoice_email(alain, canteen, canteen_tariff, staff_client, run_jobs,
                                                           mailoutbox, django_capture_on_commit_callbacks):
    # Given ALAIN (24 meals) and another family (3 meals) to invoice for April
    book(alain.child, canteen, school_days(*APRIL, weekdays=range(6))[:24])
    other = ChildFactory()
    GuardianFactory(household=other.household, email="parent.b@example.org")
    book(other, canteen, school_days(*APRIL)[:3])

    # When staff run April and the worker goes through it
    with django_capture_on_commit_callbacks(execute=True):
        run = invoice_run_start(period_start=APRIL[0], period_end=APRIL[1], with_pdfs=False)
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs()
    run_jobs()

    # Then each household got exactly one e-mail
    notices = [m for m in mailoutbox if "nouvelle facture disponible" in m.subject]
    assert sorted(m.to[0] for m in notices) == ["claire.alain@example.org", "parent.b@example.org"]
    alain_mail = next(m for m in notices if m.to == ["claire.alain@example.org"])
    invoice = Invoice.objects.get(household=alain.household)
    assert "Nouvelle facture disponible" in alain_mail.body
    assert f"Montant : 79,20{NBSP}€" in alain_mail.body
    assert f"À payer avant le {invoice.due_on.day}" in alain_mail.body
    assert "au guichet" in alain_mail.body and "/ville-a/mes-factures/" in alain_mail.body
    # And the run screen says how many were sent
    run.refresh_from_db()
    assert run.notices_sent == 2
    screen = html.unescape(staff_client.get(f"/ville-a/gestion/facturation/facturations/{run.pk}/").content.decode())
    assert "E-mails « Nouvelle facture disponible » envoyés : 2" in screen
    # And a redelivered job sends nothing twice
    from ..services import invoice_notices_send

    assert invoice_notices_send(run_id=run.pk) == 0
    assert len([m for m in mailoutbox if "nouvelle facture disponible" in m.subject]) == 2


# --- Reminders -------------------------------------------------------------------------------

ISSUED_ON = dt.datetime(2019, 5, 6, 9, 0, tzinfo=PARIS)  # due 30 days later: 5 June 2019


@pytest.fixture
def overdue_invoice(alain, canteen, canteen_tariff):
    book(alain.child, canteen, school_days(*APRIL, weekdays=range(6))[:24])
    with time_machine.travel(ISSUED_ON, tick=False):
        invoice = household_invoice_issue(household_id=alain.household.pk, period_start=APRIL[0],
                                          period_end=APRIL[1])
    assert invoice.due_on == dt.date(2019, 6, 5)
    return invoice


@pytest.fixture
def reminders_on(run_jobs, mailoutbox, django_capture_on_commit_callbacks):
    """The town's daily job on a given day; returns the reminder e-mails it sent."""

    def run(day: dt.date) -> list:
        before = len(mailoutbox)
        with time_machine.travel(dt.datetime.combine(day, dt.time(8, 0), tzinfo=PARIS), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                invoice_reminders_send()
            run_jobs()
        return [m for m in mailoutbox[before:] if "rappel" in m.subject]

    return run


def after_due(days: int) -> dt.date:
    return dt.date(2019, 6, 5) + dt.timedelta(days=days)


def test_reminders_go_at_fifteen_and_thirty_days_after_the_due_date_once_each(overdue_invoice, reminders_on):
    assert reminders_on(after_due(14)) == []

    [first] = reminders_on(after_due(15))
    assert first.to == ["claire.alain@example.org"]
    assert "rappel : facture n° 000001 à régler" in first.subject
    assert f"reste à payer : 79,20{NBSP}€" in first.body

    assert reminders_on(after_due(15)) == []  # not twice
    assert reminders_on(after_due(29)) == []
    [second] = reminders_on(after_due(30))
    assert "000001" in second.subject
    assert reminders_on(after_due(45)) == []
    assert list(overdue_invoice.reminders.values_list("level", flat=True)) == [1, 2]


def test_no_reminder_once_the_invoice_is_paid(overdue_invoice, reminders_on):
    assert len(reminders_on(after_due(15))) == 1
    payment_record_counter(invoice=overdue_invoice, amount=Decimal("79.20"), method="cash")
    assert reminders_on(after_due(30)) == []
    assert InvoiceReminder.objects.count() == 1


def test_no_reminder_for_an_invoice_collected_by_direct_debit(overdue_invoice, reminders_on):
    Invoice.objects.filter(pk=overdue_invoice.pk).update(collection_method=Invoice.CollectionMethod.DIRECT_DEBIT)
    assert reminders_on(after_due(15)) == []


def test_the_town_sets_its_own_delays(overdue_invoice, reminders_on):
    BillingSettings.objects.create(reminder_first_days=10, reminder_second_days=0)
    assert len(reminders_on(after_due(10))) == 1
    assert reminders_on(after_due(30)) == []


def test_staff_see_overdue_invoices_with_their_reminders_and_send_one_by_hand(
        overdue_invoice, reminders_on, staff_client, run_jobs, mailoutbox, django_capture_on_commit_callbacks):
    reminders_on(after_due(15))
    with time_machine.travel(dt.datetime.combine(after_due(20), dt.time(10, 0), tzinfo=PARIS), tick=False):
        listing = html.unescape(staff_client.get("/ville-a/gestion/facturation/impayes/").content.decode())
        assert "000001" in listing and f"79,20{NBSP}€" in listing and "20/06/2019 (n° 1)" in listing
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(f"/ville-a/gestion/facturation/factures/{overdue_invoice.pk}/relance/",
                                         follow=True)
        assert "Relance de la facture 000001 envoyée." in html.unescape(response.content.decode())
        run_jobs()
        api = staff_client.get("/ville-a/api/v1/staff/overdue-invoices/").json()
    assert [m.subject for m in mailoutbox].count(mailoutbox[-1].subject) == 2
    assert [(row["number"], [r["level"] for r in row["reminders"]]) for row in api] == [("000001", [1, 0])]
