"""The monthly invoicing run: what is billed, one invoice per household with one line per
child × service, numbers, locked bookings, reruns, errors and credit notes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tenant_apps.bookings.models import Booking
from tenant_apps.bookings.tests.factories import book, school_days
from tenant_apps.catalog.tests.factories import ServiceFactory
from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory

from ..errors import InvoiceNotCancellable, RunAlreadyActive
from ..models import BillingSettings, Invoice, InvoiceLine, InvoiceRun
from ..services import (
    credit_note_issue,
    household_invoice_issue,
    invoice_run_start,
    payment_record_counter,
)
from .conftest import APRIL
from .factories import TariffFactory

A = Booking.Attendance


def issue(household):
    return household_invoice_issue(household_id=household.pk, period_start=APRIL[0], period_end=APRIL[1])


def test_booked_days_are_billed_present_or_not_minus_justified_absences_and_cancellations(alain, canteen, canteen_tariff):
    household, theo = alain.household, alain.child
    days = school_days(*APRIL)
    # Given 6 booked days: 2 present, 1 not yet recorded, 1 absent, 1 justified absence, and 1 cancelled in time
    book(theo, canteen, days[0:2], attendance=A.PRESENT)
    book(theo, canteen, days[2:3], attendance=A.UNKNOWN)
    book(theo, canteen, days[3:4], attendance=A.ABSENT)
    book(theo, canteen, days[4:5], attendance=A.JUSTIFIED_ABSENCE)
    book(theo, canteen, days[5:6], status=Booking.Status.CANCELLED)

    invoice = issue(household)

    # Then 4 days are billed at 3.30 €
    [line] = invoice.lines.all()
    assert (line.quantity, line.unit_price, line.amount) == (4, Decimal("3.30"), Decimal("13.20"))
    assert invoice.total == Decimal("13.20")
    # And exactly those bookings are linked to the line and locked
    billed = set(Booking.objects.filter(invoiced=True).values_list("date", flat=True))
    assert billed == set(days[0:4])
    assert set(line.bookings.values_list("date", flat=True)) == set(days[0:4])


def test_the_town_may_choose_not_to_bill_unjustified_absences(alain, canteen, canteen_tariff):
    household, theo = alain.household, alain.child
    BillingSettings.objects.create(bill_unjustified_absences=False)
    days = school_days(*APRIL)
    book(theo, canteen, days[0:2], attendance=A.PRESENT)
    book(theo, canteen, days[2:3], attendance=A.ABSENT)
    assert issue(household).total == Decimal("6.60")


def test_unbooked_attendance_is_billed_on_its_own_line_with_the_surcharge(alain, canteen, canteen_tariff):
    household, theo = alain.household, alain.child
    BillingSettings.objects.create(unbooked_surcharge_percent=Decimal("20"))
    days = school_days(*APRIL)
    book(theo, canteen, days[0:3], attendance=A.PRESENT)
    book(theo, canteen, days[3:5], attendance=A.PRESENT, unbooked_attendance=True)

    invoice = issue(household)

    lines = {line.kind: line for line in invoice.lines.all()}
    assert (lines["booked"].quantity, lines["booked"].amount) == (3, Decimal("9.90"))
    assert lines["unbooked"].unit_price == Decimal("3.96")
    assert (lines["unbooked"].quantity, lines["unbooked"].amount) == (2, Decimal("7.92"))
    assert "hors réservation" in lines["unbooked"].service_name
    assert invoice.total == Decimal("17.82")


def test_one_invoice_per_household_with_one_line_per_child_and_service(alain, canteen, canteen_tariff):
    household, theo = alain.household, alain.child
    lena = ChildFactory(household=household, first_name="Léna", last_name="ALAIN")
    evening = ServiceFactory(name="Accueil périscolaire soir")
    TariffFactory(service=evening, unit_price=Decimal("1.50"))
    days = school_days(*APRIL)
    book(theo, canteen, days[:10])
    book(theo, evening, days[:4])
    book(lena, canteen, days[:8])

    invoice = issue(household)

    lines = sorted((line.child_name, line.service_name, line.quantity, line.amount) for line in invoice.lines.all())
    assert lines == [
        ("Léna ALAIN", "Repas Enfant", 8, Decimal("26.40")),
        ("Théo ALAIN", "Accueil périscolaire soir", 4, Decimal("6.00")),
        ("Théo ALAIN", "Repas Enfant", 10, Decimal("33.00")),
    ]
    assert invoice.total == Decimal("65.40")
    assert Invoice.objects.count() == 1


def test_the_invoice_snapshots_the_payer_and_prices(alain, canteen, canteen_tariff):
    household, theo = alain.household, alain.child
    book(theo, canteen, school_days(*APRIL)[:2])
    invoice = issue(household)
    # When the family moves and the town raises its price afterwards
    household.address_line = "9 avenue Nouvelle"
    household.save()
    canteen.tariffs.update(unit_price=Decimal("9.99"))
    invoice.refresh_from_db()
    # Then the issued invoice is unchanged
    assert invoice.payer_name == "Claire ALAIN"
    assert "3 rue des Écoles" in invoice.payer_address
    assert invoice.payer_email == "claire.alain@example.org"
    assert invoice.lines.get().unit_price == Decimal("3.30")
    assert invoice.total == Decimal("6.60")


def test_numbers_are_sequential_and_zero_padded(town, canteen, canteen_tariff):
    invoices = []
    for _ in range(3):
        child = ChildFactory()
        GuardianFactory(household=child.household)
        book(child, canteen, school_days(*APRIL)[:1])
        invoices.append(issue(child.household))
    assert [i.number for i in invoices] == ["000001", "000002", "000003"]


def test_rerunning_a_period_does_not_duplicate_invoices(alain, canteen, canteen_tariff, run_jobs, django_capture_on_commit_callbacks):
    household, theo = alain.household, alain.child
    book(theo, canteen, school_days(*APRIL)[:5])
    # Given a first run for April
    with django_capture_on_commit_callbacks(execute=True):
        first = invoice_run_start(period_start=APRIL[0], period_end=APRIL[1], with_pdfs=False)
    run_jobs()
    # When staff run April again
    with django_capture_on_commit_callbacks(execute=True):
        second = invoice_run_start(period_start=APRIL[0], period_end=APRIL[1], with_pdfs=False)
    run_jobs()
    first.refresh_from_db()
    second.refresh_from_db()
    # Then there is still one invoice, and the second run says so
    assert Invoice.objects.filter(household=household).count() == 1
    assert (first.status, first.invoices_created) == ("done", 1)
    assert (second.status, second.invoices_created) == ("done", 0)


def test_a_late_attendance_of_an_invoiced_period_goes_on_a_complementary_invoice_once(alain, canteen, canteen_tariff):
    household, theo = alain.household, alain.child
    days = school_days(*APRIL)
    book(theo, canteen, days[:5])
    first = issue(household)
    # A day of attendance recorded after the invoice was issued
    book(theo, canteen, days[5:6], unbooked_attendance=True, attendance=A.PRESENT)
    complement = issue(household)
    assert complement is not None and complement.number != first.number
    assert [line.quantity for line in complement.lines.all()] == [1]
    # Nothing is billed twice: the next rerun finds nothing left
    assert issue(household) is None
    assert Invoice.objects.count() == 2


def test_the_run_records_progress_and_the_households_it_could_not_invoice(
    town, canteen, canteen_tariff, run_jobs, django_capture_on_commit_callbacks
):
    # Given two families; one booked a service that has no tariff
    ok = ChildFactory()
    book(ok, canteen, school_days(*APRIL)[:3])
    broken = ChildFactory()
    book(broken, ServiceFactory(name="ALSH Vacances"), school_days(*APRIL)[:3])

    with django_capture_on_commit_callbacks(execute=True):
        run = invoice_run_start(period_start=APRIL[0], period_end=APRIL[1], with_pdfs=False)
    assert run.status == InvoiceRun.Status.PENDING
    run_jobs()
    run.refresh_from_db()

    assert run.status == InvoiceRun.Status.DONE_WITH_ERRORS
    assert (run.households_total, run.households_done, run.invoices_created) == (2, 2, 1)
    [error] = run.errors
    assert error["household_id"] == broken.household_id
    assert error["household"] == broken.household.name
    assert "ALSH Vacances" in error["message"]
    # And the failed household left nothing half-done: no number consumed, bookings unlocked
    assert list(Invoice.objects.values_list("number", flat=True)) == ["000001"]
    assert not Booking.objects.filter(child=broken, invoiced=True).exists()


def test_two_overlapping_runs_cannot_be_started(town):
    invoice_run_start(period_start=APRIL[0], period_end=APRIL[1])
    with pytest.raises(RunAlreadyActive):
        invoice_run_start(period_start=dt.date(2019, 4, 15), period_end=dt.date(2019, 5, 15))


def test_a_run_the_worker_never_finished_does_not_block_staff_forever(town):
    stuck = InvoiceRun.objects.create(period_start=APRIL[0], period_end=APRIL[1], status=InvoiceRun.Status.RUNNING)
    InvoiceRun.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - dt.timedelta(hours=7))
    assert invoice_run_start(period_start=APRIL[0], period_end=APRIL[1])
    stuck.refresh_from_db()
    assert stuck.status == InvoiceRun.Status.FAILED


def test_a_credit_note_cancels_the_invoice_and_frees_its_bookings_for_a_new_invoice(april_invoice, alain):
    household = alain.household
    # When staff cancel the invoice by a credit note
    note = credit_note_issue(invoice=april_invoice, reason="Erreur de pointage")
    april_invoice.refresh_from_db()
    # Then the invoice stays, cancelled, and the avoir carries its own number and the full amount
    assert april_invoice.status == Invoice.Status.CANCELLED
    assert (note.number, note.amount) == ("AV000001", Decimal("79.20"))
    assert not Booking.objects.filter(invoiced=True).exists()
    # And the period can be invoiced again, under the next number
    again = issue(household)
    assert again.number == "000002"
    assert again.total == Decimal("79.20")


def test_a_paid_or_already_cancelled_invoice_cannot_be_credited(april_invoice):
    payment_record_counter(invoice=april_invoice, amount=Decimal("10.00"))
    with pytest.raises(InvoiceNotCancellable, match="réglée"):
        credit_note_issue(invoice=april_invoice, reason="test")


def test_staff_cannot_delete_an_invoice_in_the_admin(april_invoice, client):
    from tenant_apps.accounts.models import User

    staff = User.objects.create_user("agent@ville-a.fr", is_staff=True)
    client.force_login(staff)
    response = client.post(f"/ville-a/gestion/admin/billing/invoice/{april_invoice.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Invoice.objects.filter(pk=april_invoice.pk).exists()


def test_staff_start_a_run_and_follow_its_progress(town, canteen, canteen_tariff, client, run_jobs,
                                                   django_capture_on_commit_callbacks):
    from tenant_apps.accounts.models import User

    child = ChildFactory()
    book(child, canteen, school_days(*APRIL)[:3])
    staff = User.objects.create_user("agent@ville-a.fr", is_staff=True)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ville-a/gestion/facturation/", {"period_start": "2019-04-01", "period_end": "2019-04-30"})
    assert response.status_code == 302
    detail = client.get(response.url)
    assert "En attente" in detail.content.decode()
    assert 'hx-trigger="every 2s"' in detail.content.decode()
    run_jobs()
    partial_response = client.get(response.url, HTTP_HX_REQUEST="true")
    # The page and its polled fragment share an address: caches must tell them apart
    assert "HX-Request" in detail["Vary"] and "HX-Request" in partial_response["Vary"]
    partial = partial_response.content.decode()
    assert "Terminée" in partial
    assert "Factures émises : 1" in partial
    assert "every 2s" not in partial
    assert InvoiceLine.objects.count() == 1
