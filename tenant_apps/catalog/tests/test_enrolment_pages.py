"""The staff's enrolment pages: filter children, tick or take the whole filtered set, confirm a summary;
renew last year's enrolments; delete an enrolment. Staff only, a constant number of queries."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.models import Enrolment
from tenant_apps.catalog.tests.factories import ChildFactory, ServiceFactory, enrol

LAST_YEAR, YEAR = "2025-2026", "2026-2027"
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
PAGE = "/ville-a/gestion/prestations/inscriptions/"
REMOVE = "/ville-a/gestion/reservations/inscriptions/"
BULK = PAGE + "masse/"
RENEW = PAGE + "reconduire/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def pupil(first_name, school_class, level="CM1", year=YEAR, last_name="DUPONT"):
    child = ChildFactory(first_name=first_name, last_name=last_name)
    child.placements.create(school_year=year, school="École Jules Ferry", level=level, school_class=school_class)
    return child


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def enrolled_names(service, year=YEAR):
    return sorted(Enrolment.objects.filter(service=service, school_year=year).values_list("child__first_name",
                                                                                          flat=True))


def test_staff_filter_by_class_tick_children_and_confirm_a_summary(staff_client, canteen):
    # Given pupils of two classes
    ana, bob = pupil("Ana", "CM1-A"), pupil("Bob", "CM1-A")
    pupil("Cid", "CE2-B", level="CE2")
    # When staff filter the CM1-A class
    page = text(staff_client.get(PAGE, {"annee": YEAR, "classe": "CM1-A"}))
    # Then only its pupils are listed, with a checkbox each
    assert "DUPONT Ana" in page and "DUPONT Bob" in page and "DUPONT Cid" not in page
    assert "2 enfants" in page
    assert f'name="enfants" value="{ana.pk}"' in page
    # When they tick Ana and Bob, choose the canteen and ask for the summary
    choice = {"annee": YEAR, "classe": "CM1-A", "enfants": [ana.pk, bob.pk], "prestations": [canteen.pk],
              "selection": "checked", "step": "preview"}
    summary = text(staff_client.post(BULK, choice))
    # Then the summary counts, and nothing is written yet
    assert "Vous allez inscrire <strong>2 enfants</strong>" in summary
    assert "<th scope=\"row\">Repas Enfant</th><td>2</td><td>0</td>" in summary
    assert not Enrolment.objects.exists()
    # When they confirm
    done = staff_client.post(BULK, {**choice, "step": "confirm"}, follow=True)
    # Then both are enrolled and the message gives the counts
    assert enrolled_names(canteen) == ["Ana", "Bob"]
    assert "2 inscriptions créées pour 2026-2027." in text(done)
    assert "Repas Enfant" in text(done)  # the list now shows their enrolment


def test_staff_enrol_the_whole_filtered_set_without_javascript(staff_client, canteen):
    # Given 55 pupils in CM1-A (more than a page), one of them already enrolled, and another class
    pupils = [pupil(f"Élève{n:02d}", "CM1-A") for n in range(55)]
    enrol(pupils[0], canteen, YEAR)
    pupil("Cid", "CE2-B", level="CE2")
    page = text(staff_client.get(PAGE, {"annee": YEAR, "classe": "CM1-A"}))
    assert page.count('name="enfants"') == 50 and "Page 1 / 2" in page
    assert "Inscrire les 55 enfants filtrés" in page
    # When staff use "Inscrire les 55 enfants filtrés" (no box ticked)
    choice = {"annee": YEAR, "classe": "CM1-A", "prestations": [canteen.pk], "selection": "all", "step": "preview"}
    summary = text(staff_client.post(BULK, choice))
    assert "<strong>55 enfants</strong>" in summary
    assert "<th scope=\"row\">Repas Enfant</th><td>54</td><td>1</td>" in summary
    done = text(staff_client.post(BULK, {**choice, "step": "confirm"}, follow=True))
    # Then the whole class, and only it, is enrolled; the one already enrolled is reported
    assert "54 inscriptions créées, 1 déjà existante (inchangée) pour 2026-2027." in done
    assert len(enrolled_names(canteen)) == 55 and "Cid" not in enrolled_names(canteen)


def test_filter_by_name_and_not_enrolled_in_a_service(staff_client, canteen):
    ana, _bob = pupil("Ana", "CM1-A"), pupil("Bob", "CM1-A", last_name="MARTIN")
    enrol(ana, canteen, YEAR)
    by_name = text(staff_client.get(PAGE, {"annee": YEAR, "q": "martin"}))
    assert "MARTIN Bob" in by_name and "DUPONT Ana" not in by_name
    not_enrolled = text(staff_client.get(PAGE, {"annee": YEAR, "non_inscrit": canteen.pk}))
    assert "MARTIN Bob" in not_enrolled and "DUPONT Ana" not in not_enrolled
    # Last year's class is not this year's: the filter reads the chosen school year's placement
    pupil("Léo", "CM1-A", year=LAST_YEAR)
    assert "Léo" not in text(staff_client.get(PAGE, {"annee": YEAR, "classe": "CM1-A"}))


def test_nothing_chosen_gives_a_clear_message(staff_client, canteen):
    ana = pupil("Ana", "CM1-A")
    response = staff_client.post(BULK, {"annee": YEAR, "enfants": [ana.pk], "selection": "checked",
                                        "step": "preview"}, follow=True)
    assert "Choisissez au moins un enfant et une prestation." in text(response)
    assert not Enrolment.objects.exists()


def test_staff_renew_last_years_enrolments_after_a_preview(staff_client, canteen):
    # Given last year's enrolments: two at the canteen, one at the evening care; one renewed already
    evening = ServiceFactory(name="Accueil soir", position=2)
    ana, bob = pupil("Ana", "CM1-A"), pupil("Bob", "CM1-A")
    enrol(ana, canteen, LAST_YEAR)
    enrol(bob, canteen, LAST_YEAR)
    enrol(bob, evening, LAST_YEAR)
    enrol(ana, canteen, YEAR)
    # The enrolments page offers the renewal into the displayed year
    page = text(staff_client.get(PAGE, {"annee": YEAR}))
    assert "Reconduire les inscriptions de 2025-2026 vers 2026-2027" in page
    # When staff open the preview
    preview = text(staff_client.get(RENEW, {"de": LAST_YEAR, "vers": YEAR}))
    # Then it counts per service what will be created and what exists, and nothing is written yet
    assert '<th scope="row">Repas Enfant</th><td>1</td><td>1</td>' in preview
    assert '<th scope="row">Accueil soir</th><td>1</td><td>0</td>' in preview
    assert "Confirmer : créer 2 inscriptions" in preview
    assert Enrolment.objects.filter(school_year=YEAR).count() == 1
    # When they confirm
    done = text(staff_client.post(RENEW, {"de": LAST_YEAR, "vers": YEAR}, follow=True))
    assert "2 inscriptions créées, 1 déjà existante (inchangée) pour 2026-2027." in done
    assert enrolled_names(canteen) == ["Ana", "Bob"] and enrolled_names(evening) == ["Bob"]
    # A backwards renewal is explained, not attempted
    backwards = text(staff_client.get(RENEW, {"de": YEAR, "vers": LAST_YEAR}))
    assert "L'année scolaire de destination doit suivre l'année d'origine." in backwards
    assert "Confirmer" not in backwards


def test_staff_delete_an_enrolment_confirming_the_cancellation_of_future_bookings(staff_client, canteen):
    ana = pupil("Ana", "CM1-A")
    enrol(ana, canteen, YEAR)
    enrolment = Enrolment.objects.get()
    for day in (dt.date(2026, 11, 30), dt.date(2026, 12, 1)):
        Booking.objects.create(child=ana, service=canteen, date=day)
    url = f"{REMOVE}{enrolment.pk}/supprimer/"
    confirm = text(staff_client.get(url))
    assert "2 réservations à venir (à partir du 28/11/2026) seront annulées" in confirm
    # Without ticking the confirmation, nothing happens and staff are told why
    refused = text(staff_client.post(url, follow=True))
    assert "confirmez leur annulation" in refused
    assert Enrolment.objects.exists()
    # With it, the enrolment goes and the bookings are cancelled
    done = text(staff_client.post(url, {"confirmer": "oui"}, follow=True))
    assert "Inscription de DUPONT Ana à Repas Enfant (2026-2027) supprimée. 2 réservations à venir annulées." in done
    assert not Enrolment.objects.exists()
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}


def test_staff_cannot_delete_an_enrolment_with_invoiced_bookings(staff_client, canteen):
    ana = pupil("Ana", "CM1-A")
    enrol(ana, canteen, YEAR)
    enrolment = Enrolment.objects.get()
    Booking.objects.create(child=ana, service=canteen, date=dt.date(2026, 10, 5), invoiced=True)
    url = f"{REMOVE}{enrolment.pk}/supprimer/"
    assert "déjà facturée ne peut" not in text(staff_client.get(url))
    assert "1 réservation déjà facturée" in text(staff_client.get(url))
    refused = text(staff_client.post(url, {"confirmer": "oui"}, follow=True))
    assert "l'inscription ne peut pas être supprimée" in refused
    assert Enrolment.objects.exists()


def test_enrolment_screens_are_for_staff_only(client, family, canteen):
    guardian, theo = family.guardian, family.child
    enrol(theo, canteen, YEAR)
    enrolment = Enrolment.objects.get()
    remove = f"{REMOVE}{enrolment.pk}/supprimer/"
    for signed_in in (False, True):
        if signed_in:
            client.force_login(guardian.user)
        for url in (PAGE, RENEW, remove):
            assert client.get(url).status_code == 302, url
        assert client.post(BULK, {"annee": YEAR, "enfants": [theo.pk], "prestations": [canteen.pk],
                                  "selection": "checked", "step": "confirm"}).status_code == 302
        assert client.post(RENEW, {"de": LAST_YEAR, "vers": YEAR}).status_code == 302
        assert client.post(remove, {"confirmer": "oui"}).status_code == 302
    assert Enrolment.objects.count() == 1


def test_the_enrolment_page_runs_a_constant_number_of_queries(staff_client, canteen):
    evening = ServiceFactory(name="Accueil soir", position=2)

    def add_children(count, start):
        for n in range(start, start + count):
            child = pupil(f"Enfant{n:03d}", "CM1-A")
            enrol(child, canteen, YEAR)
            enrol(child, evening, YEAR)

    def queries_for_page():
        staff_client.get(PAGE, {"annee": YEAR})  # warm caches (session, town, menu)
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(PAGE, {"annee": YEAR})
        return len(captured), text(response)

    add_children(5, 0)
    five, page = queries_for_page()
    assert page.count('name="enfants"') == 5
    add_children(45, 5)
    fifty, page = queries_for_page()
    assert page.count('name="enfants"') == 50 and page.count("Désinscrire</a>") == 100
    assert fifty == five <= 15, (five, fifty)
