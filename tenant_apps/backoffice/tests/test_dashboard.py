"""The staff dashboard (Tableau de bord): what a gestionnaire checks on a Monday morning.

A seeded town: today's canteen with two children booked, an unread message from a family,
an issued unpaid invoice of 79.20 €, a payment to check, a parent's edit, a published document.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.backoffice.selectors import staff_dashboard
from tenant_apps.billing.models import Invoice, InvoiceRun, PaymentTransaction
from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.models import ClosureDay, Service
from tenant_apps.catalog.tests.factories import ServiceFactory
from tenant_apps.documents.models import Document
from tenant_apps.documents.services import document_publish
from tenant_apps.families.models import FieldChange
from tenant_apps.families.services import field_update
from tenant_apps.messaging.models import Message, TownService
from tenant_apps.messaging.services import conversation_start, message_post
from tests.support.files import pdf_upload
from tests.support.fixtures import family_create

PARIS = ZoneInfo("Europe/Paris")
MONDAY = dt.date(2026, 12, 7)
MONDAY_MORNING = dt.datetime(2026, 12, 7, 7, 45, tzinfo=PARIS)


def invoice(household, month, total, paid="0", status=Invoice.Status.ISSUED, *, number=None):
    start = dt.date(2026, month, 1)
    sequence = Invoice.objects.count() + 1
    return Invoice.objects.create(
        number=number or f"F{sequence:05d}", sequence=sequence, household=household, period_start=start,
        period_end=start.replace(day=28), issued_on=start.replace(day=28),
        due_on=start.replace(day=28) + dt.timedelta(days=30), total=Decimal(total), amount_paid=Decimal(paid),
        status=status, payer_name=household.name,
    )


def book(child, service, day, **fields):
    return Booking.objects.create(child=child, service=service, date=day, **fields)


def publish(title, published_on, unpublished_on=None):
    return document_publish(title=title, category=Document.Category.MENUS, upload=pdf_upload(),
                            published_on=published_on, unpublished_on=unpublished_on)


@pytest.fixture
def seeded_town(town):
    """A small town on Monday 7 December 2026, seen at 07:45 in Paris."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        canteen = ServiceFactory(name="Repas Enfant", weekdays=[0, 1, 3, 4], position=0)
        morning = ServiceFactory(name="Accueil périscolaire matin", weekdays=[0, 1, 3, 4], position=1,
                                 kind=Service.Kind.BEFORE_SCHOOL)
        wednesday = ServiceFactory(name="ALSH Mercredi", weekdays=[2], position=2, kind=Service.Kind.WEDNESDAY)
        ServiceFactory(name="Ancienne garderie", weekdays=[0, 1, 2, 3, 4], is_active=False)

        alain = family_create("ALAIN", children=("Théo", "Anna"), email="marie.alain@example.org")
        alain_user, alain = alain.user, alain.household
        bernard = family_create("BERNARD", children=("Léa",), first_name="Paul")
        bernard_user, bernard = bernard.user, bernard.household
        theo, anna = alain.children.get(first_name="Théo"), alain.children.get(first_name="Anna")
        lea = bernard.children.get()
        # Bookings: two children at the canteen today, one cancelled, others on other days or services
        book(theo, canteen, MONDAY)
        book(anna, canteen, MONDAY, attendance=Booking.Attendance.PRESENT)
        book(lea, canteen, MONDAY, status=Booking.Status.CANCELLED)
        book(lea, canteen, MONDAY + dt.timedelta(days=1))
        book(lea, wednesday, MONDAY + dt.timedelta(days=2))

        # Messages: Service enfance holds one conversation with an unread message from a family
        enfance = TownService.objects.create(name="Service enfance", position=0)
        TownService.objects.create(name="Restauration scolaire", position=1)
        conversation_start(household=alain, author=alain_user, service=enfance, subject="Attestation",
                           body="Bonjour, pouvez-vous m'envoyer une attestation ?")
        answered = conversation_start(household=bernard, author=bernard_user, service=enfance, subject="Cantine",
                                      body="Léa mange sans porc.")
        Message.objects.filter(conversation=answered).update(read_at=MONDAY_MORNING)  # staff read it
        message_post(conversation=answered, side=Message.Side.TOWN, author=None, body="C'est noté.")

        # Billing: November's run finished, one issued unpaid invoice, one paid, one cancelled
        InvoiceRun.objects.create(period_start=dt.date(2026, 11, 1), period_end=dt.date(2026, 11, 30),
                                  status=InvoiceRun.Status.DONE, households_total=2, households_done=2,
                                  invoices_created=2)
        unpaid = invoice(alain, 11, "79.20")
        invoice(bernard, 11, "23.10", paid="23.10", status=Invoice.Status.PAID)
        invoice(bernard, 10, "12.00", status=Invoice.Status.CANCELLED)
        PaymentTransaction.objects.create(
            invoice=unpaid, backend="dummy", order_id="PF-0001", amount=Decimal("79.20"),
            status=PaymentTransaction.Status.AMOUNT_MISMATCH, needs_review=True,
            review_reason="Montant annoncé par le prestataire : 7.92 € au lieu de 79.20 €.",
        )

        # Families: Marie ALAIN changed her mobile phone number this morning
        guardian = alain_user.guardian
        guardian.mobile_phone = ""  # the record had no mobile number yet
        guardian.save(update_fields=["mobile_phone"])
        field_update(actor=alain_user, obj=guardian, key="guardian.mobile_phone", value="06 12 34 56 78")
        # and a third family was imported, whose parent has not created a password yet
        newcomer = family_create("CHEVALIER", children=("Jade",), first_name="Inès").user
        newcomer.set_unusable_password()
        newcomer.save()

        # Documents: one online, one expired, one for later
        publish("Menus de décembre", MONDAY - dt.timedelta(days=3))
        publish("Fête d'automne", dt.date(2026, 10, 1), unpublished_on=dt.date(2026, 10, 31))
        publish("Menus de janvier", dt.date(2027, 1, 4))
    return {"canteen": canteen, "morning": morning, "enfance": enfance}


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_each_block_shows_the_towns_figures(seeded_town):
    # When the dashboard of this Monday is read
    dashboard = staff_dashboard(MONDAY)

    # Then today lists the services running on Monday (not Wednesday's, not the inactive one)
    today = dashboard.today
    assert today.town_closure is None
    assert [(row.service.name, row.booked, row.not_marked) for row in today.services] == [
        ("Repas Enfant", 2, 1), ("Accueil périscolaire matin", 0, 0),
    ]
    # and the inbox counts the one conversation waiting for an answer
    assert [(row.service.name, row.unread_conversations) for row in dashboard.inbox.services] == [
        ("Service enfance", 1), ("Restauration scolaire", 0),
    ]
    # and billing: November's run, the unpaid 79.20 €, the payment to check
    billing = dashboard.billing
    assert billing.last_run.period_start == dt.date(2026, 11, 1)
    assert (billing.unpaid_count, billing.unpaid_amount, billing.payments_to_check) == (1, Decimal("79.20"), 1)
    # and families: three households, four children, one parent without a password, the parent's edit
    families = dashboard.families
    assert (families.households, families.children, families.guardians_without_password) == (3, 4, 1)
    [edit] = families.recent_changes
    assert (edit.change.household.name, edit.field_label, edit.change.new_value) == (
        "ALAIN", "Téléphone portable", "06 12 34 56 78")
    # and documents: one online today, one scheduled
    assert (dashboard.documents.published, dashboard.documents.scheduled) == (1, 1)


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_page_shows_each_block_with_a_link_to_the_screen_that_acts_on_it(client, seeded_town, staff):
    client.force_login(staff)
    response = client.get("/ville-a/gestion/")
    page = response.content.decode()
    canteen, enfance = seeded_town["canteen"], seeded_town["enfance"]

    assert response.status_code == 200
    assert "<h1>Tableau de bord</h1>" in page and "lundi 7 décembre 2026" in page
    # Aujourd'hui: 2 children at the canteen, and its attendance sheet for today
    assert f'<tr data-service="{canteen.pk}">\n        <th scope="row">Repas Enfant\n' in page
    assert '<td class="dash-number" data-booked>2</td>' in page
    assert (f'href="/ville-a/gestion/reservations/?date=2026-12-07&amp;service={canteen.pk}">'
            'Pointage<span class="visually-hidden"> Repas Enfant</span>') in page
    assert "ALSH Mercredi" not in page and "Ancienne garderie" not in page
    # Messagerie: 1 unread conversation, and the Service enfance inbox
    assert '<p class="dash-figure" data-unread="1"><strong>1</strong> conversation avec un message non lu' in page
    assert f'href="/ville-a/gestion/messagerie/?service={enfance.pk}">Service enfance</a>' in page
    # Facturation: the unpaid invoice and its amount, the run, the payment to check
    assert "<dd data-unpaid-count>1</dd>" in page
    assert "<dd data-unpaid-amount>79,20\u00a0€</dd>" in page
    assert '<dd data-to-check>1 <span class="dash-flag">à traiter</span></dd>' in page
    assert "Du 01/11/2026 au 30/11/2026" in page and "<strong data-run-status>Terminée</strong>" in page
    assert 'href="/ville-a/gestion/facturation/"' in page and 'href="/ville-a/gestion/facturation/factures/"' in page
    # Familles: figures and the last parents' edit, with the history screen
    assert "<dd data-households>3</dd>" in page and "<dd data-children>4</dd>" in page
    assert "<dd data-without-password>1</dd>" in page
    assert "<td>Téléphone portable</td>" in page and "<td>06 12 34 56 78</td>" in page
    assert 'href="/ville-a/gestion/familles/historique/"' in page
    # Documents
    assert "<dd data-published>1</dd>" in page and 'href="/ville-a/gestion/documents/"' in page


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_only_the_last_five_parent_edits_are_shown_newest_first(client, seeded_town, staff):
    guardian = family_create("DURAND", children=("Noé",), first_name="Lucie").user.guardian
    for minute, phone in enumerate(["06 00 00 00 01", "06 00 00 00 02", "06 00 00 00 03", "06 00 00 00 04",
                                    "06 00 00 00 05", "06 00 00 00 06"]):
        with time_machine.travel(MONDAY_MORNING + dt.timedelta(minutes=minute + 1), tick=False):
            field_update(actor=guardian.user, obj=guardian, key="guardian.mobile_phone", value=phone)

    changes = staff_dashboard(MONDAY).families.recent_changes
    assert FieldChange.objects.count() == 7
    assert [row.change.new_value for row in changes] == [
        "06 00 00 00 06", "06 00 00 00 05", "06 00 00 00 04", "06 00 00 00 03", "06 00 00 00 02"]
    client.force_login(staff)
    assert client.get("/ville-a/gestion/").content.decode().count("<tr data-change>") == 5


def test_today_is_the_towns_day_not_the_servers(client, seeded_town, staff):
    # Given it is Sunday 23:30 in UTC, already Monday 00:30 in the town
    with time_machine.travel(dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC), tick=False):
        client.force_login(staff)
        page = client.get("/ville-a/gestion/").content.decode()

    # Then the dashboard shows Monday's canteen, not an empty Sunday
    assert "lundi 7 décembre 2026" in page
    assert '<td class="dash-number" data-booked>2</td>' in page
    assert "Aucune prestation n'a lieu aujourd'hui." not in page


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_a_closed_day_is_announced_and_no_service_is_listed(client, seeded_town, staff):
    # Given the town closed for a strike today
    ClosureDay.objects.create(date=MONDAY, reason="Grève des agents")
    client.force_login(staff)
    page = client.get("/ville-a/gestion/").content.decode()

    assert "<strong>Structure fermée aujourd'hui</strong> – Fermeture : Grève des agents." in page
    assert "data-booked" not in page
    assert 'href="/ville-a/gestion/prestations/fermetures/"' in page


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_a_service_closed_on_its_own_is_listed_apart(seeded_town):
    ClosureDay.objects.create(date=MONDAY, reason="Sortie scolaire", service=seeded_town["morning"])
    today = staff_dashboard(MONDAY).today
    assert today.town_closure is None
    assert [row.service.name for row in today.services] == ["Repas Enfant"]
    assert [(c.service.name, c.reason) for c in today.closed_services] == [
        ("Accueil périscolaire matin", "Fermeture : Sortie scolaire")]


def test_a_public_holiday_closes_the_town(town):
    ServiceFactory(name="Repas Enfant", weekdays=[0, 1, 2, 3, 4])
    christmas = dt.date(2026, 12, 25)
    today = staff_dashboard(christmas).today
    assert today.town_closure == "Jour férié : Noël"
    assert today.services == []


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_an_empty_town_says_so_plainly(client, staff):
    client.force_login(staff)
    page = client.get("/ville-a/gestion/").content.decode()
    assert "Aucune prestation n'a lieu aujourd'hui." in page
    assert "Aucun service n'est joignable par les familles." in page
    assert "Aucune facturation n'a encore été lancée." in page
    assert "Aucune modification historisée pour l'instant." in page


def test_only_gestionnaires_open_the_dashboard(client, family, town):
    # A parent is refused (sent to the login page, which says this account has no access)
    user = family.user
    client.force_login(user)
    refused = client.get("/ville-a/gestion/")
    assert refused.status_code == 302
    assert refused["Location"] == "/ville-a/connexion/?next=/ville-a/gestion/"
    login_page = client.get("/ville-a/connexion/?next=/ville-a/gestion/").content.decode()
    assert "n'a pas accès à la page demandée" in login_page
    # and so is a visitor who has not signed in
    client.logout()
    assert client.get("/ville-a/gestion/")["Location"] == "/ville-a/connexion/?next=/ville-a/gestion/"


# --- a constant number of queries ----------------------------------------------------------------

MAX_QUERIES = 14  # selectors; the page adds the session, the user and the guardian check


def seed_small_town():
    canteen = ServiceFactory(name="Repas Enfant", weekdays=[0])
    household = family_create("SEUL", children=("Un",))
    user, household = household.user, household.household
    book(household.children.get(), canteen, MONDAY)
    service = TownService.objects.create(name="Service enfance")
    conversation_start(household=household, author=user, service=service, subject="Q", body="?")
    invoice(household, 11, "10.00")
    field_update(actor=user, obj=user.guardian, key="guardian.mobile_phone", value="06 12 34 56 78")
    publish("Menus", MONDAY)


def seed_many_more():
    services = [ServiceFactory(name=f"Prestation {n}", weekdays=[0, 1, 2, 3, 4]) for n in range(6)]
    services.append(ServiceFactory(name="Sortie", calendar=Service.Calendar.GIVEN_DATES, weekdays=[]))
    services.append(ServiceFactory(name="Vacances", deadline_mode=Service.DeadlineMode.FIXED_DATE))
    ClosureDay.objects.create(date=MONDAY, reason="Travaux", service=services[0])
    town_services = [TownService.objects.create(name=f"Service {n}") for n in range(4)]
    for n in range(12):
        household = family_create(f"FAMILLE{n}", children=("A", "B", "C"), first_name=f"Parent{n}")
        user, household = household.user, household.household
        for child in household.children.all():
            for service in services:
                book(child, service, MONDAY)
        conversation_start(household=household, author=user, service=town_services[n % 4], subject="Q", body="?")
        invoice(household, 10, "30.00")
        field_update(actor=user, obj=user.guardian, key="guardian.mobile_phone", value=f"06 12 34 56 {n:02d}")
        publish(f"Document {n}", MONDAY)
    InvoiceRun.objects.create(period_start=dt.date(2026, 11, 1), period_end=dt.date(2026, 11, 30),
                              status=InvoiceRun.Status.RUNNING, households_total=12, households_done=5)


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_dashboard_costs_the_same_queries_for_one_family_as_for_many(
        client, town, staff, django_assert_max_num_queries):
    # Given a town with one service and one family
    seed_small_town()
    with django_assert_max_num_queries(MAX_QUERIES):
        small = staff_dashboard(MONDAY)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as small_page:
        client.get("/ville-a/gestion/")
    assert small.today.services[0].booked == 1

    # When it grows to many services (given dates, fixed closing dates), families, messages and invoices
    seed_many_more()

    # Then reading the dashboard costs no more queries
    with django_assert_max_num_queries(MAX_QUERIES):
        large = staff_dashboard(MONDAY)
    with django_assert_max_num_queries(len(small_page) + 2):  # + given dates and periods of the schedule
        page = client.get("/ville-a/gestion/")
    assert page.status_code == 200
    assert large.families.households == 13 and large.billing.unpaid_count == 13
    assert large.inbox.unread_conversations == 13
    assert {row.booked for row in large.today.services if row.service.name.startswith("Prestation")} == {36}
