"""The pages speak correct French whatever the names: a girl and a boy, a name that starts with
a vowel, a service whose gender is known or not, a town's official name with its article."""

import datetime as dt
import html

import pytest
import time_machine

from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
from tenant_apps.core.french import after_colon, au, de
from tenant_apps.messaging.models import TownService

MONDAY = dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(("name", "expected"), [
    ("Anna", "d'Anna"), ("Théo", "de Théo"), ("Hugo", "d'Hugo"), ("Élise", "d'Élise"),
    ("Mairie de Démonstration", "de la Mairie de Démonstration"), ("Ville de Lannion", "de la Ville de Lannion"),
    ("Commune d'Arles", "de la Commune d'Arles"), ("Syndicat scolaire", "du Syndicat scolaire"),
    ("Lannion", "de Lannion"), ("Arles", "d'Arles"),
])
def test_de_takes_the_article_or_the_elision(name, expected):
    assert de(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Service enfance", "au Service enfance"), ("Restauration scolaire", "à la Restauration scolaire"),
    ("Accueil de loisirs", "à l'Accueil de loisirs"), ("Les P'tits Loups", "au service « Les P'tits Loups »"),
    ("Périscolaire", "au Périscolaire"),
])
def test_a_service_is_written_to_with_its_article(name, expected):
    assert au(name) == expected


def test_a_sentence_after_a_colon_starts_in_lower_case_except_an_acronym():
    assert after_colon("La date butoir est dépassée.") == "la date butoir est dépassée."
    assert after_colon("PAI à fournir.") == "PAI à fournir."


@pytest.fixture
def monday():
    """Monday 7 December 2026, 07:00 in the town, before anyone signs in (sessions expire)."""
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def week(monday, family):
    """Théo is a boy, Anna a girl; Anna goes to the "Accueil du matin", Théo is enrolled nowhere."""
    theo, anna = family.children
    theo.sex, anna.sex = "M", "F"
    theo.save(update_fields=["sex"])
    anna.save(update_fields=["sex"])
    morning = ServiceFactory(name="Accueil du matin", weekdays=[0, 1, 3, 4], deadline_time=dt.time(8, 30))
    enrol(anna, morning, "2026-2027")
    return family


def test_the_week_grid_agrees_with_each_child_and_elides_before_a_vowel(week, parent_client, town):
    page = text(parent_client.get(f"/{town.slug}/reservations/", {"semaine": "2026-W50"}))
    assert "Réservations d'Anna" in page and "Réservations de Anna" not in page
    assert "Théo n'est inscrit à aucune prestation" in page
    # The next deadline is announced without claiming it falls "this week"
    assert "Prochaine date butoir : " in page and "cette semaine :" not in page


def test_a_girl_enrolled_nowhere_is_told_in_the_feminine(monday, family, parent_client, town):
    anna = family.children[1]
    anna.sex = "F"
    anna.save(update_fields=["sex"])
    page = text(parent_client.get(f"/{town.slug}/reservations/", {"semaine": "2026-W50"}))
    assert "Anna n'est inscrite à aucune prestation" in page
    # Nobody is enrolled: no "bookings are closed" message for services the family does not use
    assert "sont closes" not in page


def test_writing_to_a_service_uses_its_article(family, parent_client, town):
    canteen_office = TownService.objects.create(name="Restauration scolaire")
    page = text(parent_client.get(f"/{town.slug}/messagerie/ecrire/{canteen_office.pk}/"))
    assert "Écrire à la Restauration scolaire" in page and "Écrire au Restauration" not in page


def test_the_password_email_names_the_town_with_its_article(family, town, client, run_jobs, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/{town.slug}/nouveau-mot-de-passe/", {"email": family.user.email})
    run_jobs()
    [mail] = mailoutbox
    assert "portail famille de la Mairie de Ville-A" in mail.body
    assert "portail famille de Mairie" not in mail.body
