"""Closing days over bookings already made: staff see what it touches, confirm, families are told,
and a closed day is never invoiced."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tenant_apps.accounts.models import User
from tenant_apps.billing.models import InvoiceRun
from tenant_apps.billing.services import (
    credit_note_issue,
    household_invoice_issue,
    invoice_run_execute,
)
from tenant_apps.billing.tests.factories import TariffFactory
from tenant_apps.bookings import services as booking_services
from tenant_apps.bookings.closures import closure_apply, closure_preview
from tenant_apps.bookings.errors import ClosedDay, ClosureOverInvoiced
from tenant_apps.bookings.models import Booking, BookingChange
from tenant_apps.bookings.tests.factories import book
from tenant_apps.bookings.tests.test_pages import cell_html
from tenant_apps.catalog.errors import StaffOnly
from tenant_apps.catalog.models import ClosureDay
from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory, HouseholdFactory
from tenants.outbox.models import OutboxMessage

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
THURSDAY, FRIDAY, MONDAY = dt.date(2026, 12, 3), dt.date(2026, 12, 4), dt.date(2026, 12, 7)
DECEMBER = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def booked(town):
    """Two families: ALAIN (Théo and Anna, canteen on Thursday), BERNARD (Léo, canteen on Thursday
    and Monday, after-school club on Friday). The town bills in advance ("facturation à échoir"): on
    27 November, December's bookings can already be invoiced."""
    canteen = ServiceFactory(name="Repas Enfant", weekdays=[0, 1, 3, 4], position=1, billed_in_advance=True)
    club = ServiceFactory(name="Garderie du soir", weekdays=[0, 1, 3, 4], position=2, billed_in_advance=True)
    TariffFactory(service=canteen, unit_price=Decimal("3.30"))
    TariffFactory(service=club, unit_price=Decimal("2.10"))
    alain = HouseholdFactory(name="ALAIN")
    GuardianFactory(household=alain, first_name="Claire", is_payer=True, user__email="claire.alain@example.org")
    GuardianFactory(household=alain, first_name="Marc", is_payer=False, user__email="marc.alain@example.org")
    bernard = HouseholdFactory(name="BERNARD")
    GuardianFactory(household=bernard, first_name="Julie", is_payer=True, user__email="julie.bernard@example.org")
    theo = ChildFactory(household=alain, first_name="Théo")
    anna = ChildFactory(household=alain, first_name="Anna")
    leo = ChildFactory(household=bernard, first_name="Léo")
    book(theo, canteen, [THURSDAY])
    book(anna, canteen, [THURSDAY])
    book(leo, canteen, [THURSDAY, MONDAY])
    book(leo, club, [FRIDAY])
    return {"canteen": canteen, "club": club, "alain": alain, "bernard": bernard, "theo": theo, "leo": leo}


def statuses() -> dict[tuple[str, str, dt.date], str]:
    return {(b.child.first_name, b.service.name, b.date): b.status
            for b in Booking.objects.select_related("child", "service")}


def test_staff_see_how_many_bookings_and_families_a_closure_touches_and_nothing_changes_yet(booked, staff):
    before = statuses()

    whole_town = closure_preview(start=THURSDAY, end=FRIDAY, reason="Grève", actor=staff)
    canteen_only = closure_preview(start=THURSDAY, reason="Sortie scolaire", services=[booked["canteen"]], actor=staff)
    club_only = closure_preview(start=THURSDAY, end=FRIDAY, reason="Travaux", services=[booked["club"]], actor=staff)

    assert (whole_town.bookings_count, whole_town.families_count) == (4, 2)
    assert whole_town.summary() == "4 réservations de 2 familles"
    assert (canteen_only.bookings_count, canteen_only.families_count) == (3, 2)
    assert club_only.summary() == "1 réservation de 1 famille"
    assert statuses() == before and not ClosureDay.objects.exists() and not OutboxMessage.objects.exists()


def test_confirming_cancels_the_bookings_with_the_reason_and_mails_each_family_once(
        booked, staff, mailoutbox, run_jobs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        impact = closure_apply(start=THURSDAY, end=FRIDAY, reason="Grève des agents", actor=staff)
    run_jobs()

    assert impact.summary() == "4 réservations de 2 familles"
    assert statuses() == {
        ("Théo", "Repas Enfant", THURSDAY): "cancelled", ("Anna", "Repas Enfant", THURSDAY): "cancelled",
        ("Léo", "Repas Enfant", THURSDAY): "cancelled", ("Léo", "Garderie du soir", FRIDAY): "cancelled",
        ("Léo", "Repas Enfant", MONDAY): "booked",  # after the closure: untouched
    }
    history = BookingChange.objects.filter(action=BookingChange.Action.CANCELLED)
    assert sorted(history.values_list("source", "detail", "actor")) == [("closure", "Grève des agents", staff.pk)] * 4
    assert sorted(ClosureDay.objects.values_list("date", "service", "reason")) == [
        (THURSDAY, None, "Grève des agents"), (FRIDAY, None, "Grève des agents")]
    # One e-mail per family, to all its guardians, listing its cancelled days
    assert sorted(sorted(mail.to) for mail in mailoutbox) == [
        ["claire.alain@example.org", "marc.alain@example.org"], ["julie.bernard@example.org"]]
    [bernard_mail] = [mail for mail in mailoutbox if mail.to == ["julie.bernard@example.org"]]
    assert "Grève des agents" in bernard_mail.body
    assert "jeudi 3 décembre 2026 : Léo – Repas Enfant" in bernard_mail.body
    assert "vendredi 4 décembre 2026 : Léo – Garderie du soir" in bernard_mail.body
    assert "lundi 7 décembre" not in bernard_mail.body
    # The same confirmation sent twice (a double click) cancels nothing more and mails no one again
    with django_capture_on_commit_callbacks(execute=True):
        again = closure_apply(start=THURSDAY, end=FRIDAY, reason="Grève des agents", actor=staff)
    run_jobs()
    assert again.bookings_count == 0 and len(mailoutbox) == 2 and ClosureDay.objects.count() == 2
    # And the day can no longer be booked again
    enrol(booked["theo"], booked["canteen"], "2026-2027")
    with pytest.raises(ClosedDay):
        booking_services.booking_set(child=booked["theo"], service=booked["canteen"], day=THURSDAY, actor=None,
                                     source="portal")


def test_a_closure_of_chosen_services_leaves_the_other_services_booked(booked, staff):
    closure_apply(start=THURSDAY, end=FRIDAY, reason="Travaux", services=[booked["club"]], actor=staff)

    assert statuses()[("Léo", "Garderie du soir", FRIDAY)] == "cancelled"
    assert statuses()[("Théo", "Repas Enfant", THURSDAY)] == "booked"
    assert sorted(ClosureDay.objects.values_list("date", "service")) == [
        (THURSDAY, booked["club"].pk), (FRIDAY, booked["club"].pk)]


def test_a_closure_over_invoiced_bookings_is_refused_naming_the_invoices_until_a_credit_note(booked, staff):
    invoice = household_invoice_issue(household_id=booked["bernard"].pk, period_start=DECEMBER[0],
                                      period_end=DECEMBER[1])
    before = statuses()

    with pytest.raises(ClosureOverInvoiced) as refused:
        closure_apply(start=THURSDAY, end=FRIDAY, reason="Grève", actor=staff)

    assert invoice.number in str(refused.value.message) and "avoir" in str(refused.value.message)
    assert closure_preview(start=THURSDAY, reason="Grève", actor=staff).invoice_numbers == [invoice.number]
    assert statuses() == before and not ClosureDay.objects.exists() and not OutboxMessage.objects.exists()
    # Once the invoice is cancelled by a credit note, the closure goes through
    credit_note_issue(invoice=invoice, reason="Grève du 3 décembre")
    assert closure_apply(start=THURSDAY, end=FRIDAY, reason="Grève", actor=staff).bookings_count == 4


def test_the_invoicing_run_never_bills_a_booking_on_a_closed_day_even_one_still_booked(booked):
    # Closures recorded without cancelling (the admin, or before this was built): bookings still "Réservé"
    ClosureDay.objects.create(date=THURSDAY, reason="Grève")
    ClosureDay.objects.create(date=FRIDAY, reason="Travaux", service=booked["club"])
    run = InvoiceRun.objects.create(period_start=DECEMBER[0], period_end=DECEMBER[1], with_pdfs=False)

    invoice_run_execute(run_id=run.pk)

    bernard = booked["bernard"].invoices.get()
    assert [(line.service_name, line.quantity, line.amount) for line in bernard.lines.all()] == [
        ("Repas Enfant", 1, Decimal("3.30"))]  # Monday only
    assert not booked["alain"].invoices.exists()
    assert list(Booking.objects.filter(invoiced=True).values_list("date", flat=True)) == [MONDAY]


def test_the_closures_screen_previews_then_confirms_and_the_parents_grid_shows_the_closure(booked, staff, client):
    client.force_login(staff)
    form = {"date": "2026-12-03", "end": "2026-12-04", "reason": "Grève"}

    preview = client.post("/ville-a/gestion/prestations/fermetures/", form).content.decode()

    assert "Elle annule 4 réservations de 2 familles." in preview
    assert statuses()[("Théo", "Repas Enfant", THURSDAY)] == "booked" and not ClosureDay.objects.exists()

    done = client.post("/ville-a/gestion/prestations/fermetures/", {**form, "confirm": "1"}, follow=True)
    page = done.content.decode()
    assert "Fermeture du 03/12/2026 au 04/12/2026 enregistrée : 4 réservations de 2 familles annulées." in page
    assert "jeudi 3 décembre 2026" in page and "Grève" in page
    assert statuses()[("Théo", "Repas Enfant", THURSDAY)] == "cancelled"

    # The parents' grid shows the day closed, not booked
    enrol(booked["theo"], booked["canteen"], "2026-2027")
    parent = booked["alain"].guardians.get(first_name="Claire").user
    client.force_login(parent)
    grid = client.get("/ville-a/reservations/?semaine=2026-W49").content.decode()
    cell = cell_html(grid, booked["theo"], booked["canteen"], THURSDAY)
    assert 'data-state="locked"' in cell and "Grève" in cell


def test_the_closures_screen_says_which_invoices_stand_in_the_way(booked, staff, client):
    invoice = household_invoice_issue(household_id=booked["alain"].pk, period_start=DECEMBER[0],
                                      period_end=DECEMBER[1])
    client.force_login(staff)

    page = client.post("/ville-a/gestion/prestations/fermetures/",
                       {"date": "2026-12-03", "reason": "Grève"}).content.decode()

    assert f"(facture {invoice.number})" in page and "émettez d&#x27;abord un avoir" in page
    assert not ClosureDay.objects.exists()
    assert statuses()[("Léo", "Repas Enfant", THURSDAY)] == "booked"


def test_a_closure_touching_no_booking_is_recorded_at_once(booked, staff, client):
    client.force_login(staff)

    page = client.post("/ville-a/gestion/prestations/fermetures/",
                       {"date": "2026-12-08", "reason": "Pont"}, follow=True).content.decode()

    assert "Fermeture du 08/12/2026 enregistrée : aucune réservation concernée." in page
    assert list(ClosureDay.objects.values_list("date", "service")) == [(dt.date(2026, 12, 8), None)]


def test_a_parent_cannot_close_days(booked, client):
    client.force_login(booked["alain"].guardians.get(first_name="Claire").user)

    response = client.post("/ville-a/gestion/prestations/fermetures/", {"date": "2026-12-03", "reason": "Grève"})

    assert response.status_code == 302 and not ClosureDay.objects.exists()
    with pytest.raises(StaffOnly):
        closure_apply(start=THURSDAY, reason="Grève", actor=booked["alain"].guardians.get(first_name="Claire").user)


def test_the_admin_shows_closures_but_does_not_add_them_behind_the_bookings_back(booked, client):
    client.force_login(User.objects.create_superuser("chef@ville-a.test", "x"))
    ClosureDay.objects.create(date=THURSDAY, reason="Grève")

    assert client.get("/ville-a/gestion/admin/services/closureday/").status_code == 200
    assert client.get("/ville-a/gestion/admin/services/closureday/add/").status_code == 403


def test_the_screen_closes_only_the_chosen_services_once_confirmed(booked, staff, client):
    client.force_login(staff)
    form = {"date": "2026-12-03", "end": "2026-12-04", "reason": "Travaux", "services": [booked["club"].pk]}

    preview = client.post("/ville-a/gestion/prestations/fermetures/", form).content.decode()
    assert "Elle annule 1 réservation de 1 famille." in preview
    assert f'name="services" value="{booked["club"].pk}"' in preview  # carried to the confirmation

    client.post("/ville-a/gestion/prestations/fermetures/", {**form, "confirm": "1"})

    assert statuses()[("Léo", "Garderie du soir", FRIDAY)] == "cancelled"
    assert statuses()[("Théo", "Repas Enfant", THURSDAY)] == "booked"
    assert set(ClosureDay.objects.values_list("service", flat=True)) == {booked["club"].pk}


def test_a_range_ending_before_it_starts_is_refused_with_a_message(booked, staff, client):
    client.force_login(staff)

    response = client.post("/ville-a/gestion/prestations/fermetures/",
                           {"date": "2026-12-04", "end": "2026-12-03", "reason": "Grève"})

    assert response.status_code == 200
    assert "La fin de la fermeture doit suivre son début." in response.content.decode()
    assert not ClosureDay.objects.exists() and statuses()[("Léo", "Garderie du soir", FRIDAY)] == "booked"
