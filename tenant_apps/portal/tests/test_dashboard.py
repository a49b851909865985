"""The home page: the town's welcome text and the household's dashboard."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.billing.models import Invoice
from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.models import Service
from tenant_apps.core.models import TownProfile
from tenant_apps.documents.models import Document, DocumentDownload
from tenant_apps.documents.services import document_publish
from tenant_apps.messaging.models import Message, TownService
from tenant_apps.messaging.services import conversation_start, message_post
from tenant_apps.portal.selectors import dashboard_for
from tests.support.files import PNG_BYTES, pdf_upload
from tests.support.fixtures import family_create, staff_create

PARIS = ZoneInfo("Europe/Paris")
# 00:30 in Lannion on 11 December while it is still the 10th in UTC: "today" is the town's day.
NOW = datetime.datetime(2026, 12, 10, 23, 30, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 12, 11)


def publish(title, published_on, unpublished_on=None):
    return document_publish(title=title, category=Document.Category.MENUS, upload=pdf_upload(),
                            published_on=published_on, unpublished_on=unpublished_on)


def town_writes(conversation, text):
    return message_post(conversation=conversation, side=Message.Side.TOWN, author=None, body=text)


def invoice(household, month, total, paid="0", status=Invoice.Status.ISSUED):
    start = datetime.date(2026, month, 1)
    return Invoice.objects.create(
        number=f"{household.pk:03d}{month:02d}", sequence=household.pk * 100 + month, household=household,
        period_start=start, period_end=start.replace(day=28), issued_on=start.replace(day=28),
        due_on=start.replace(day=28) + datetime.timedelta(days=30), total=total, amount_paid=paid, status=status,
        payer_name=household.name,
    )


def book(child, service, day, status=Booking.Status.BOOKED):
    return Booking.objects.create(child=child, service=service, date=day, status=status)


@pytest.fixture
def enfance(town):
    return TownService.objects.create(name="Service enfance")


@time_machine.travel(NOW, tick=False)
def test_dashboard_counts_recent_documents_and_unread_messages_in_the_towns_day(client, family, enfance):
    user, household = family.user, family.household
    neighbours = family_create("BERNARD", children=("Léa",)).household
    # Given documents published at various dates
    publish("Menus de décembre", TODAY)  # published "today" in the town's zone: recent
    publish("Activités de Noël", TODAY - datetime.timedelta(days=29))  # recent
    already_read = publish("Règlement intérieur", TODAY - datetime.timedelta(days=3))
    publish("Menus d'octobre", TODAY - datetime.timedelta(days=45))  # visible, no longer recent
    publish("Menus de janvier", TODAY + datetime.timedelta(days=1))  # not yet published
    publish("Fête de l'école", TODAY - datetime.timedelta(days=10), TODAY - datetime.timedelta(days=1))  # expired
    DocumentDownload.objects.create(document=already_read, household=household, downloaded_at=NOW)
    # and messages: two unread answers from the town, one read, one for the neighbours
    ours = conversation_start(household=household, author=user, service=enfance, subject="Attestation",
                              body="Bonjour")
    town_writes(ours, "Voici l'attestation")
    town_writes(ours, "Et la seconde")
    read = conversation_start(household=household, author=user, service=enfance, subject="Test", body="Test")
    town_writes(read, "Bien reçu")
    Message.objects.filter(conversation=read).update(read_at=NOW)
    theirs = conversation_start(household=neighbours, author=None, service=enfance, subject="Cantine", body="?")
    town_writes(theirs, "Réponse")
    # and invoices: two with something left to pay, one paid, one of the neighbours
    invoice(household, 9, "23.10", paid="23.10", status=Invoice.Status.PAID)
    invoice(household, 10, "79.20")
    invoice(household, 11, "40.00", paid="10.00", status=Invoice.Status.PAYMENT_PENDING)
    invoice(neighbours, 11, "12.00")
    # and bookings: today's (in the town's day), a cancelled one, tomorrow's, the neighbours'
    matin = Service.objects.create(name="ALSH Mercredi matin", position=1)
    apres_midi = Service.objects.create(name="ALSH Mercredi après-midi", position=2)
    cantine = Service.objects.create(name="Repas Enfant", position=0)
    anna, theo = household.children.order_by("first_name")
    book(theo, apres_midi, TODAY)
    book(theo, matin, TODAY)
    book(anna, apres_midi, TODAY)
    book(anna, cantine, TODAY, status=Booking.Status.CANCELLED)
    book(anna, matin, TODAY + datetime.timedelta(days=1))
    book(neighbours.children.get(), matin, TODAY)

    # When the parent looks at the dashboard
    dashboard = dashboard_for(household, TODAY)

    # Then only what concerns them is counted
    assert dashboard.recent_documents == 2
    assert dashboard.unread_messages == 2
    assert [child.first_name for child in dashboard.children] == ["Anna", "Théo"]
    assert dashboard.unpaid_invoices == 2
    assert [(row.child.first_name, row.services) for row in dashboard.todays_bookings] == [
        ("Anna", ["ALSH Mercredi après-midi"]),
        ("Théo", ["ALSH Mercredi matin", "ALSH Mercredi après-midi"]),
    ]

    client.force_login(user)
    page = client.get("/ville-a/").content.decode()
    assert 'data-counter="documents">2' in page
    assert 'data-counter="messages">2' in page
    assert 'data-counter="invoices">2' in page
    assert "Réservations de la journée" in page and "Voir mes réservations" in page
    assert '<th scope="row">ALAIN Théo</th><td><ul class="plain-list"><li>ALSH Mercredi matin</li>' in page


@time_machine.travel(NOW, tick=False)
def test_a_day_without_bookings_or_debts_says_so_plainly(client, family):
    user, household = family.user, family.household
    invoice(household, 9, "23.10", paid="23.10", status=Invoice.Status.PAID)
    dashboard = dashboard_for(household, TODAY)
    assert (dashboard.unpaid_invoices, dashboard.todays_bookings) == (0, [])
    client.force_login(user)
    page = client.get("/ville-a/").content.decode()
    assert "Aucune réservation aujourd'hui." in page and 'data-counter="invoices"' not in page


@time_machine.travel(NOW, tick=False)
def test_reading_the_messages_and_downloading_the_documents_clears_the_counters(client, family, enfance):
    user, household = family.user, family.household
    document = publish("Menus de décembre", TODAY)
    conversation = conversation_start(household=household, author=user, service=enfance, subject="Q", body="?")
    town_writes(conversation, "R")
    client.force_login(user)
    assert dashboard_for(household, TODAY).unread_messages == 1

    client.get(f"/ville-a/messagerie/conversations/{conversation.pk}/")
    client.get(f"/ville-a/mes-documents/{document.pk}/telecharger/")

    dashboard = dashboard_for(household, TODAY)
    assert (dashboard.unread_messages, dashboard.recent_documents) == (0, 0)


def test_the_dashboard_costs_the_same_queries_for_one_child_as_for_five(town, enfance,
                                                                       django_assert_max_num_queries):
    small = family_create("PETIT", children=("Un",)).household
    large = family_create("GRAND", children=("Un", "Deux", "Trois", "Quatre", "Cinq"), first_name="Paul").household
    publish("Menus", TODAY)
    services = [Service.objects.create(name=f"Prestation {n}", position=n) for n in range(3)]
    for household in (small, large):
        invoice(household, 10, "30.00")
        for child in household.children.all():
            for service in services:
                book(child, service, TODAY)

    # Five queries (children, recent documents, unread messages, unpaid invoices, today's
    # bookings); django-tenants precedes each with a `SET search_path`, hence 10 statements.
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as one_child:
        assert len(dashboard_for(small, TODAY).todays_bookings) == 1
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as five_children:
        dashboard = dashboard_for(large, TODAY)
        assert len(dashboard.children) == 5
        assert [len(row.services) for row in dashboard.todays_bookings] == [3] * 5
    assert len(one_child.captured_queries) == len(five_children.captured_queries)


def test_the_home_page_shows_the_towns_welcome_text_and_contact_details(client, family):
    TownProfile.objects.update(
        display_name="Mairie de Démonstration", address_line="1 place de la mairie", postcode="22300",
        city="Lannion", phone="02 02 02 02 02", fax="01 01 01 01 01", welcome_title="Bienvenue !",
        welcome_body="<p>Pour faciliter votre <strong>quotidien</strong></p>",
    )
    client.force_login(family.user)
    page = client.get("/ville-a/").content.decode()
    assert "<h1" in page and "Bienvenue !" in page
    assert "<strong>quotidien</strong>" in page
    assert "1 place de la mairie" in page and "22300 Lannion" in page and "Fax 01 01 01 01 01" in page
    for label in ("Accueil", "Mon profil", "Mes enfants", "Réservations", "Mes factures", "Mes documents",
                  "Messagerie", "Déconnexion"):
        assert f">{label}<" in page
    assert 'class="nav-toggle"' in page  # the phone menu button (hidden until the script shows it)


def test_staff_edit_the_welcome_text_and_what_is_stored_is_sanitised(client, staff):
    client.force_login(staff)
    response = client.post("/ville-a/gestion/portail/", {
        "display_name": "Mairie de Ville-A", "welcome_title": "Bienvenue",
        "welcome_body": '<p onclick="steal()">Bonjour <a href="javascript:alert(1)">ici</a>'
                        '<a href="https://www.3douest.com">site</a></p><script>alert(1)</script>',
        "website": "https://www.example.org",
    })
    assert response.status_code == 302
    body = TownProfile.current().welcome_body
    assert "onclick" not in body and "<script" not in body and "javascript:" not in body
    assert '<a href="https://www.3douest.com" rel="noopener noreferrer nofollow">site</a>' in body


def test_a_staff_member_without_a_family_is_sent_to_the_staff_dashboard(client, town):
    client.force_login(staff_create())
    response = client.get("/ville-a/")
    assert response.status_code == 302 and response["Location"] == "/ville-a/gestion/"


def test_the_logo_must_be_an_image_and_is_served_by_the_portal(client, staff):
    client.force_login(staff)
    fields = {"display_name": "Mairie de Ville-A", "welcome_title": "Bienvenue", "welcome_body": ""}
    refused = client.post("/ville-a/gestion/portail/", {**fields, "logo": pdf_upload("logo.png")})
    assert refused.status_code == 200 and "Type de fichier non accepté" in refused.content.decode()

    client.post("/ville-a/gestion/portail/", {**fields, "logo": SimpleUploadedFile("logo.png", PNG_BYTES)})
    response = client.get("/ville-a/logo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG_BYTES


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_api_answers_the_same_numbers(client, family):
    user, household = family.user, family.household
    publish("Menus", TODAY)
    client.force_login(user)
    data = client.get("/ville-a/api/v1/dashboard/").json()
    assert data["today"] == "2026-12-11"
    assert data["recent_documents"] == 1 and data["unread_messages"] == 0
    assert data["unpaid_invoices"] == 0 and data["todays_bookings"] == []
    assert len(data["children"]) == 2
    invoice(household, 10, "79.20")
    theo = household.children.get(first_name="Théo")
    book(theo, Service.objects.create(name="Repas Enfant"), TODAY)
    data = client.get("/ville-a/api/v1/dashboard/").json()
    assert data["unpaid_invoices"] == 1
    assert data["todays_bookings"] == [
        {"child": {"id": theo.pk, "first_name": "Théo", "last_name": "ALAIN"}, "services": ["Repas Enfant"]}
    ]
