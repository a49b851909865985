"""Invoicing runs over time and failures: only days that are over are billed (unless the service
is billed in advance), a run whose worker died is resumed where it stopped with counters that
never go backwards, staff resume or cancel a run whose job gives no sign of life, and one
active run per period, enforced by the database even for starts at the same instant."""

import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.bookings.models import Booking
from tenant_apps.bookings.tests.factories import book, school_days
from tenant_apps.catalog.tests.factories import ServiceFactory
from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory
from tenants.outbox.models import OutboxMessage

from ..errors import PeriodNotOver, RunAlreadyActive
from ..models import Invoice, InvoiceRun
from ..services import household_invoice_issue, invoice_run_execute, invoice_run_start
from .conftest import APRIL, in_threads
from .factories import TariffFactory

PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
DECEMBER = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
# Half past midnight on 1 December in the town: still 30 November in UTC.
FIRST_OF_DECEMBER = dt.datetime(2026, 12, 1, 0, 30, tzinfo=PARIS)
MID_NOVEMBER = dt.datetime(2026, 11, 16, 10, 0, tzinfo=PARIS)


@pytest.fixture
def holiday_centre(town):
    service = ServiceFactory(name="ALSH Vacances", billed_in_advance=True)
    TariffFactory(service=service)
    return service


def child_of_a_new_family():
    child = ChildFactory()
    GuardianFactory(household=child.household)
    return child


def page_text(response) -> str:
    return html.unescape(response.content.decode())


# --- Only days that are over -----------------------------------------------------------------


def test_on_the_first_of_december_december_cannot_be_invoiced(canteen, canteen_tariff):
    child = child_of_a_new_family()
    book(child, canteen, school_days(*DECEMBER)[:5])
    with time_machine.travel(FIRST_OF_DECEMBER, tick=False), pytest.raises(PeriodNotOver):
        invoice_run_start(period_start=DECEMBER[0], period_end=DECEMBER[1])
    assert not InvoiceRun.objects.exists()
    assert not Booking.objects.filter(invoiced=True).exists()


def test_on_the_first_of_december_november_is_invoiced_to_its_last_day_in_the_town(canteen, canteen_tariff):
    # Given bookings on every school day of November, and on 1 December
    child = child_of_a_new_family()
    book(child, canteen, [*school_days(*NOVEMBER), dt.date(2026, 12, 1)])
    with time_machine.travel(FIRST_OF_DECEMBER, tick=False):
        # When November is invoiced at 00:30 on 1 December (30 November in UTC)
        run = InvoiceRun.objects.create(period_start=NOVEMBER[0], period_end=NOVEMBER[1], with_pdfs=False)
        invoice_run_execute(run_id=run.pk)
    # Then all November is billed, 30 November included
    invoice = Invoice.objects.get()
    assert invoice.lines.get().quantity == len(school_days(*NOVEMBER))
    assert Booking.objects.get(date=dt.date(2026, 11, 30)).invoiced


def test_a_run_in_the_middle_of_the_month_bills_only_days_that_are_over_except_services_billed_in_advance(
    canteen, canteen_tariff, holiday_centre
):
    # Given a child at the canteen and at the holiday centre (billed in advance) all November
    child = child_of_a_new_family()
    book(child, canteen, school_days(*NOVEMBER))
    book(child, holiday_centre, [dt.date(2026, 11, 25), dt.date(2026, 11, 26)])
    # When staff invoice November on 16 November
    with time_machine.travel(MID_NOVEMBER, tick=False):
        run = invoice_run_start(period_start=NOVEMBER[0], period_end=NOVEMBER[1], with_pdfs=False)
        invoice_run_execute(run_id=run.pk)
    # Then the canteen is billed up to 15 November, the holiday centre for its coming days too
    lines = {line.service_name: line.quantity for line in Invoice.objects.get().lines.all()}
    assert lines == {"Repas Enfant": len(school_days(NOVEMBER[0], dt.date(2026, 11, 15))), "ALSH Vacances": 2}
    # And the coming canteen days are not locked: parents can still change them
    assert not Booking.objects.filter(service=canteen, date__gte=dt.date(2026, 11, 16), invoiced=True).exists()


def test_without_services_billed_in_advance_a_run_in_the_middle_of_the_month_ends_yesterday(canteen, canteen_tariff):
    # Given November invoiced on 16 November: the run and its invoice end on 15 November
    child = child_of_a_new_family()
    book(child, canteen, school_days(*NOVEMBER))
    with time_machine.travel(MID_NOVEMBER, tick=False):
        first = invoice_run_start(period_start=NOVEMBER[0], period_end=NOVEMBER[1], with_pdfs=False)
        invoice_run_execute(run_id=first.pk)
    first.refresh_from_db()
    assert first.period_end == dt.date(2026, 11, 15)
    # When November is invoiced again on 1 December
    with time_machine.travel(FIRST_OF_DECEMBER, tick=False):
        second = invoice_run_start(period_start=NOVEMBER[0], period_end=NOVEMBER[1], with_pdfs=False)
        invoice_run_execute(run_id=second.pk)
    # Then the second run bills the days from 16 November: every November day is billed, once
    second.refresh_from_db()
    assert second.invoices_created == 1
    assert not Booking.objects.filter(invoiced=False).exists()
    billed = sorted(line.quantity for invoice in Invoice.objects.all() for line in invoice.lines.all())
    assert billed == sorted([len(school_days(NOVEMBER[0], dt.date(2026, 11, 15))),
                             len(school_days(dt.date(2026, 11, 16), NOVEMBER[1]))])


def test_staff_are_told_a_run_started_in_the_middle_of_the_month_stops_yesterday(staff_client, canteen, canteen_tariff):
    with time_machine.travel(MID_NOVEMBER, tick=False):
        response = staff_client.post("/ville-a/gestion/facturation/",
                                     {"period_start": "2026-11-01", "period_end": "2026-11-30"}, follow=True)
    text = page_text(response)
    assert "La facturation est lancée" in text
    assert "Elle s'arrête au 15/11/2026, dernier jour écoulé" in text


def test_the_run_form_shows_last_month_in_dates_the_browser_accepts(staff_client):
    with time_machine.travel(FIRST_OF_DECEMBER, tick=False):
        text = page_text(staff_client.get("/ville-a/gestion/facturation/"))
    assert 'value="2026-11-01"' in text
    assert 'value="2026-11-30"' in text
    assert "ne couvre que les jours écoulés" in text


def test_the_run_screen_names_the_services_billed_in_advance(staff_client, holiday_centre):
    run = InvoiceRun.objects.create(period_start=NOVEMBER[0], period_end=NOVEMBER[1])
    with time_machine.travel(MID_NOVEMBER, tick=False):
        text = page_text(staff_client.get(f"/ville-a/gestion/facturation/facturations/{run.pk}/"))
    assert "Les jours à partir du 16/11/2026 ne sont facturés que pour les prestations facturées à échoir" in text
    assert "ALSH Vacances" in text


def test_staff_mark_a_service_billed_in_advance_from_its_form(staff_client, canteen, canteen_tariff):
    form = page_text(staff_client.get(f"/ville-a/gestion/prestations/{canteen.pk}/"))
    assert "Facturation à échoir" in form


# --- A worker killed mid-run -----------------------------------------------------------------


def test_a_run_whose_worker_died_is_resumed_where_it_stopped_and_its_counters_never_go_back(canteen, canteen_tariff):
    # Given five families, and a run whose worker died after invoicing two of them
    households = [child_of_a_new_family().household for _ in range(5)]
    for household in households:
        book(household.children.get(), canteen, school_days(*APRIL)[:3])
    run = InvoiceRun.objects.create(period_start=APRIL[0], period_end=APRIL[1], with_pdfs=False,
                                    status=InvoiceRun.Status.RUNNING, started_at=timezone.now(),
                                    households_total=5, households_done=2, invoices_created=2)
    for household in households[:2]:
        household_invoice_issue(household_id=household.pk, period_start=APRIL[0], period_end=APRIL[1], run=run)

    # When the broker redelivers its job
    invoice_run_execute(run_id=run.pk)

    # Then the run finishes with all five families, counted from its invoices, and says it resumed
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.DONE
    assert (run.households_total, run.households_done, run.invoices_created) == (5, 5, 5)
    assert run.resumed_at is not None
    assert Invoice.objects.filter(run=run).count() == 5
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5]


def test_the_run_screen_says_a_run_was_resumed(staff_client, canteen, canteen_tariff):
    run = InvoiceRun.objects.create(period_start=APRIL[0], period_end=APRIL[1], status=InvoiceRun.Status.DONE,
                                    resumed_at=timezone.now())
    text = page_text(staff_client.get(f"/ville-a/gestion/facturation/facturations/{run.pk}/"))
    assert "la facturation a repris le" in text


# --- A run whose job gives no sign of life ---------------------------------------------------


def silent_for(run: InvoiceRun, minutes: int) -> None:
    InvoiceRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(minutes=minutes))


def test_a_waiting_run_says_it_waits_for_the_worker(staff_client, canteen, canteen_tariff):
    run = invoice_run_start(period_start=APRIL[0], period_end=APRIL[1])
    text = page_text(staff_client.get(f"/ville-a/gestion/facturation/facturations/{run.pk}/"))
    assert "En attente du service de traitement" in text
    # Not yet stuck: no button to resume or cancel it
    assert "Reprendre" not in text


def test_staff_cancel_a_run_nobody_picked_up_and_start_the_period_again(staff_client, canteen, canteen_tariff):
    # Given a run queued two minutes ago that no worker picked up (broker down)
    run = invoice_run_start(period_start=APRIL[0], period_end=APRIL[1])
    silent_for(run, minutes=2)
    page = page_text(staff_client.get(f"/ville-a/gestion/facturation/facturations/{run.pk}/"))
    assert "ne donne plus signe de vie" in page
    assert "Reprendre" in page and "Annuler" in page

    # When staff cancel it
    response = staff_client.post(f"/ville-a/gestion/facturation/facturations/{run.pk}/annuler/", follow=True)

    # Then it is cancelled and the period can be invoiced again
    assert "La facturation est annulée" in page_text(response)
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.CANCELLED
    assert invoice_run_start(period_start=APRIL[0], period_end=APRIL[1])


def test_staff_resume_a_silent_run_and_its_job_is_queued_again(staff_client, canteen, canteen_tariff):
    run = invoice_run_start(period_start=APRIL[0], period_end=APRIL[1])
    silent_for(run, minutes=2)
    messages_before = OutboxMessage.objects.filter(actor_name="run_invoicing").count()

    response = staff_client.post(f"/ville-a/gestion/facturation/facturations/{run.pk}/reprendre/", follow=True)

    assert "La facturation est relancée" in page_text(response)
    assert OutboxMessage.objects.filter(actor_name="run_invoicing").count() == messages_before + 1
    # And a second click right after is refused: the job has a minute to show a sign of life
    again = staff_client.post(f"/ville-a/gestion/facturation/facturations/{run.pk}/reprendre/", follow=True)
    assert "Cette facturation n'est pas bloquée" in page_text(again)
    assert OutboxMessage.objects.filter(actor_name="run_invoicing").count() == messages_before + 1


def test_a_run_that_is_alive_cannot_be_cancelled(staff_client, canteen, canteen_tariff):
    run = invoice_run_start(period_start=APRIL[0], period_end=APRIL[1])
    response = staff_client.post(f"/ville-a/gestion/facturation/facturations/{run.pk}/annuler/", follow=True)
    assert "Cette facturation n'est pas bloquée" in page_text(response)
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.PENDING


def test_a_cancelled_run_redelivered_later_does_nothing(canteen, canteen_tariff):
    book(child_of_a_new_family(), canteen, school_days(*APRIL)[:3])
    run = InvoiceRun.objects.create(period_start=APRIL[0], period_end=APRIL[1], status=InvoiceRun.Status.CANCELLED)
    invoice_run_execute(run_id=run.pk)
    assert not Invoice.objects.exists()


# --- One active run per period ---------------------------------------------------------------


def test_the_database_refuses_a_second_active_run_over_the_same_days(town):
    InvoiceRun.objects.create(period_start=APRIL[0], period_end=APRIL[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceRun.objects.create(period_start=dt.date(2019, 4, 30), period_end=dt.date(2019, 5, 31),
                                  status=InvoiceRun.Status.RUNNING)
    # A finished run does not block a rerun
    InvoiceRun.objects.update(status=InvoiceRun.Status.DONE)
    assert InvoiceRun.objects.create(period_start=APRIL[0], period_end=APRIL[1])


def test_four_staff_starting_the_same_period_at_once_make_one_run(committed_town):
    with tenant_context(committed_town):
        canteen = ServiceFactory(name="Repas Enfant")
        TariffFactory(service=canteen)
        book(child_of_a_new_family(), canteen, school_days(*APRIL)[:3])

    failures = in_threads(
        committed_town,
        *[lambda: invoice_run_start(period_start=APRIL[0], period_end=APRIL[1], with_pdfs=False)] * 4,
    )

    with tenant_context(committed_town):
        assert InvoiceRun.objects.count() == 1
    assert len(failures) == 3
    assert all(isinstance(f, RunAlreadyActive) for f in failures), failures
    assert str(failures[0].message) == "Une facturation est déjà en cours pour cette période."
    connection.set_schema_to_public()
