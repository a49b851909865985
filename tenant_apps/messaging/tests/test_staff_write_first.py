"""Staff write first (issue 12 §3): a message to a group of families reaches exactly the chosen
households, each in its own private conversation with one e-mail, sent by a job whose progress
staff follow; a double submit sends once; urgent notices on the parents' home page."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from tenant_apps.billing.models import Invoice
from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
from tenant_apps.messaging.models import Conversation, GroupMessage, Message, TownService
from tests.support.fixtures import family_create

GROUPS = "/ville-a/gestion/messagerie/envois-groupes/"


@pytest.fixture
def enfance(town):
    return TownService.objects.create(name="Service enfance", email="enfance@ville-a.example")


@pytest.fixture
def deliver(run_jobs, django_capture_on_commit_callbacks):
    """Run every job, and the jobs they queue on commit, until none is left."""

    def drain() -> int:
        total = 0
        while True:
            with django_capture_on_commit_callbacks(execute=True):
                processed = run_jobs()["processed"]
            if not processed:
                return total
            total += processed

    return drain


def group_form(staff_client, enfance, **fields):
    page = staff_client.get(GROUPS).content.decode()
    key = re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)
    return {"key": key, "service": enfance.pk, "subject": "Sortie au cinéma",
            "body": "Bonjour,\nla sortie de mercredi est maintenue.", **fields}


def test_a_group_message_to_the_families_of_a_service_reaches_exactly_them(
        staff_client, family, other_family, enfance, deliver, mailoutbox, django_capture_on_commit_callbacks):
    # Given the ALAIN and DURAND children enrolled in the ALSH this year, and BERNARD not
    alsh = ServiceFactory(name="ALSH Mercredi")
    durand = family_create("DURAND", first_name="Léa", children=("Jules",))
    enrol(family.child, alsh)
    enrol(family.children[1], alsh)  # two children: the household is written to once
    enrol(durand.child, alsh)

    # When staff write to the families enrolled in the ALSH
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(GROUPS, group_form(staff_client, enfance, audience="services",
                                                        services=[alsh.pk]), follow=True)

    # Then the page says it is on its way to 2 households, and the group send is a job
    page = response.content.decode()
    assert "Message en cours d&#x27;envoi à 2 foyers." in page
    assert "Familles inscrites à : ALSH Mercredi" in page
    group = GroupMessage.objects.get()
    assert (group.recipient_count, group.sent_count, group.status) == (2, 0, "queued")

    deliver()

    # Each of the two households has its own conversation, and one e-mail
    group.refresh_from_db()
    assert (group.recipient_count, group.sent_count, group.status) == (2, 2, "done")
    assert sorted(c.household.name for c in Conversation.objects.all()) == ["ALAIN", "DURAND"]
    assert sorted(address for mail in mailoutbox for address in mail.to) == [
        "léa.durand@exemple.fr", "marie.alain@exemple.fr"]
    assert "la sortie de mercredi est maintenue." in mailoutbox[0].body
    page = staff_client.get(f"{GROUPS}{group.pk}/").content.decode()
    assert "2 foyers sur 2 servis" in page and "Envoyé" in page and 'http-equiv="refresh"' not in page


def test_a_parents_reply_to_a_group_message_is_seen_by_staff_and_that_household_only(
        client, staff_client, family, other_family, enfance, deliver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(GROUPS, group_form(staff_client, enfance, audience="all"))
    deliver()
    mine = Conversation.objects.get(household=family.household)
    theirs = Conversation.objects.get(household=other_family.household)

    # When the ALAIN parent replies in their conversation
    client.force_login(family.user)
    page = client.get(f"/ville-a/messagerie/conversations/{mine.pk}/").content.decode()
    assert "Bonjour,<br>la sortie de mercredi est maintenue." in page
    client.post(f"/ville-a/messagerie/conversations/{mine.pk}/", {"body": "Théo sera là."})

    # Then staff see it, the BERNARD family sees neither the reply nor ALAIN's conversation
    assert "Théo sera là." in staff_client.get(f"/ville-a/gestion/messagerie/conversations/{mine.pk}/").content.decode()
    client.force_login(other_family.user)
    assert "Théo sera là." not in client.get(f"/ville-a/messagerie/conversations/{theirs.pk}/").content.decode()
    assert client.get(f"/ville-a/messagerie/conversations/{mine.pk}/").status_code == 404


def test_submitting_the_same_group_form_twice_sends_once(staff_client, family, other_family, enfance, deliver,
                                                        mailoutbox, django_capture_on_commit_callbacks):
    form = group_form(staff_client, enfance, audience="all")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(GROUPS, form)
        second = staff_client.post(GROUPS, form, follow=True)
    deliver()

    assert "Ce message a déjà été envoyé" in second.content.decode()
    assert GroupMessage.objects.count() == 1
    assert Conversation.objects.count() == 2 and len(mailoutbox) == 2


def test_the_unpaid_invoice_audience_is_the_households_with_something_left_to_pay(
        staff_client, family, other_family, enfance, deliver, django_capture_on_commit_callbacks):
    durand = family_create("DURAND", first_name="Léa")
    day = dt.date(2026, 10, 31)

    def invoice(household, sequence, *, total, paid, status):
        Invoice.objects.create(number=f"F{sequence}", sequence=sequence, household=household, period_start=day,
                               period_end=day, issued_on=day, due_on=day, total=Decimal(total),
                               amount_paid=Decimal(paid), status=status, payer_name=household.name)

    invoice(family.household, 1, total="30.00", paid="10.00", status=Invoice.Status.ISSUED)
    invoice(other_family.household, 2, total="30.00", paid="30.00", status=Invoice.Status.PAID)
    invoice(durand.household, 3, total="12.00", paid="0", status=Invoice.Status.CANCELLED)

    assert "Foyers avec une facture impayée" in staff_client.get(GROUPS).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(GROUPS, group_form(staff_client, enfance, audience="unpaid"))
    deliver()

    assert [c.household for c in Conversation.objects.all()] == [family.household]


def test_a_group_nobody_is_in_is_refused_with_nothing_sent(staff_client, family, enfance):
    page = staff_client.post(GROUPS, group_form(staff_client, enfance, audience="school",
                                                school="")).content.decode()
    assert "Choisissez les destinataires du message." in page
    assert not GroupMessage.objects.exists()


def test_staff_write_to_one_household_from_its_page(staff_client, family, enfance, deliver, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    household_page = staff_client.get(f"/ville-a/gestion/familles/foyers/{family.household.pk}/").content.decode()
    assert f'/ville-a/gestion/messagerie/ecrire/?foyer={family.household.pk}' in household_page
    start = f"/ville-a/gestion/messagerie/ecrire/?foyer={family.household.pk}"
    assert "Écrire au foyer ALAIN" in staff_client.get(start).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(start, {"household": family.household.pk, "service": enfance.pk,
                                  "subject": "Dossier incomplet", "body": "Il manque l'attestation."})
    deliver()

    conversation = Conversation.objects.get()
    assert (conversation.household, conversation.subject) == (family.household, "Dossier incomplet")
    assert conversation.messages.get().side == Message.Side.TOWN
    [mail] = mailoutbox
    assert mail.to == ["marie.alain@exemple.fr"] and "Il manque l'attestation." in mail.body


def test_the_staff_api_sends_a_group_message_once_and_shows_its_progress(
        staff_client, family, other_family, enfance, deliver, django_capture_on_commit_callbacks):
    payload = {"audience": "all", "service": enfance.pk, "subject": "Grève", "body": "Pas de cantine.",
               "idempotency_key": "cle-1"}
    with django_capture_on_commit_callbacks(execute=True):
        first = staff_client.post("/ville-a/api/v1/staff/group-messages/", payload, content_type="application/json")
        again = staff_client.post("/ville-a/api/v1/staff/group-messages/", payload, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and first.json()["recipient_count"] == 2
    deliver()

    progress = staff_client.get(f"/ville-a/api/v1/staff/group-messages/{first.json()['id']}/").json()
    assert (progress["sent_count"], progress["percent"], progress["status"]) == (2, 100, "done")
    one = staff_client.post("/ville-a/api/v1/staff/conversations/", {
        "household": family.household.pk, "service": enfance.pk, "subject": "Bonjour", "body": "Un mot."},
        content_type="application/json")
    assert one.status_code == 201 and one.json()["household"] == family.household.pk


def test_parents_cannot_reach_the_staff_screens_nor_the_staff_api(parent_client, family, enfance):
    for url in (GROUPS, "/ville-a/gestion/messagerie/avis/",
                f"/ville-a/gestion/messagerie/ecrire/?foyer={family.household.pk}"):
        assert parent_client.get(url).status_code == 302  # to the sign-in page
    refused = parent_client.post("/ville-a/api/v1/staff/group-messages/", {
        "audience": "all", "service": enfance.pk, "subject": "x", "body": "y", "idempotency_key": "k"},
        content_type="application/json")
    assert refused.status_code == 403
    assert not GroupMessage.objects.exists()


def test_staff_find_a_household_by_name_from_the_messaging_screen(staff_client, family, other_family):
    inbox = staff_client.get("/ville-a/gestion/messagerie/").content.decode()
    assert 'href="/ville-a/gestion/messagerie/ecrire/"' in inbox
    page = staff_client.get("/ville-a/gestion/messagerie/ecrire/?q=ala").content.decode()
    assert f"?foyer={family.household.pk}" in page and "BERNARD" not in page
    assert staff_client.get("/ville-a/gestion/messagerie/ecrire/?foyer=999999").status_code == 404
