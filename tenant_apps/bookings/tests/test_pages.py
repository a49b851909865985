"""The parents' booking pages: week grid, one-cell toggle (htmx and plain form), week button, bulk wizard."""

import datetime as dt
import re

import pytest
import time_machine

from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.models import ClosureDay
from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory

PARIS = dt.timezone(dt.timedelta(hours=1))
YEAR = "2026-2027"
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=PARIS)  # Friday 27 November 2026, 10:00 Paris


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def cell_html(content: str, child, service, day: dt.date) -> str:
    match = re.search(rf'<td id="cell-{child.pk}-{service.pk}-{day:%Y%m%d}".*?</td>', content, re.S)
    assert match, f"no cell for {day}"
    return match.group(0)


def test_the_week_grid_shows_one_table_per_child_with_enrolled_services_only(parent_client, family, canteen):
    theo, anna = family.children
    enrol(theo, canteen, YEAR)
    wednesday = ServiceFactory(name="ALSH Mercredi matin", weekdays=[2], deadline_time=dt.time(7, 30))
    enrol(anna, wednesday, YEAR)
    ClosureDay.objects.create(date=dt.date(2026, 12, 3), reason="Grève")

    response = parent_client.get("/ville-a/reservations/?semaine=2026-W49")
    content = response.content.decode()

    assert response.status_code == 200
    assert "Semaine 49 / 2026" in content
    assert "ALAIN Théo" in content and "ALAIN Anna" in content
    assert "Fin de réservation: 08:30" in content and "Fin de réservation: 07:30" in content
    assert content.count("Repas Enfant</span>") == 1  # Anna is not enrolled: no row for her
    assert "lun 30 novembre 2026" in content
    # Monday is available, Wednesday is not a canteen day, Thursday is closed by a strike
    assert 'data-state="available"' in cell_html(content, theo, canteen, dt.date(2026, 11, 30))
    wednesday_cell = cell_html(content, theo, canteen, dt.date(2026, 12, 2))
    assert 'class="lock"' in wednesday_cell and "n&#x27;a pas lieu ce jour" in wednesday_cell
    assert "Grève" in cell_html(content, theo, canteen, dt.date(2026, 12, 3))
    # Navigation and date picker
    assert "?semaine=2026-W48" in content and "?semaine=2026-W50" in content
    assert parent_client.get("/ville-a/reservations/?date=2026-12-02").context["week_number"] == 49


def test_past_days_are_locked_with_the_reason(parent_client, family, canteen):
    theo = family.child
    enrol(theo, canteen, YEAR)
    content = parent_client.get("/ville-a/reservations/").content.decode()
    # Today is Friday 27 at 10:00: today's 08:30 deadline has passed
    today = cell_html(content, theo, canteen, dt.date(2026, 11, 27))
    assert "date butoir dépassée" in today and "<button" not in today
    assert "Semaine 48 / 2026" in content


def test_a_cell_is_toggled_with_htmx_and_the_message_is_announced(parent_client, family, canteen):
    theo = family.child
    enrol(theo, canteen, YEAR)
    monday = dt.date(2026, 11, 30)
    data = {"child": theo.pk, "service": canteen.pk, "date": "2026-11-30", "action": "set"}

    response = parent_client.post("/ville-a/reservations/case/", data, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="booked"' in cell_html(content, theo, canteen, monday)
    assert 'hx-swap-oob="true"' in content and "Repas Enfant réservé pour Théo le lundi 30 novembre" in content
    assert "HX-Request" in response["Vary"]  # the same POST without htmx answers a redirect
    assert Booking.objects.get(child=theo, date=monday).is_booked

    # When they toggle it again, it is cancelled
    response = parent_client.post("/ville-a/reservations/case/", {**data, "action": "unset"}, HTTP_HX_REQUEST="true")
    assert 'data-state="available"' in cell_html(response.content.decode(), theo, canteen, monday)
    assert not Booking.objects.get(child=theo, date=monday).is_booked


def test_without_javascript_the_cell_form_redirects_back_with_a_message(parent_client, family, canteen):
    theo = family.child
    enrol(theo, canteen, YEAR)
    response = parent_client.post("/ville-a/reservations/case/", {
        "child": theo.pk, "service": canteen.pk, "date": "2026-11-27", "action": "set"}, follow=True)
    # Today is past the deadline: refused, with a clear message, nothing booked
    assert "Repas Enfant, vendredi 27 novembre : la date butoir est dépassée" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"?semaine=2026-W48#row-{theo.pk}-{canteen.pk}")
    assert not Booking.objects.exists()


def test_book_the_whole_week_books_every_available_day(parent_client, family, canteen):
    theo = family.child
    enrol(theo, canteen, YEAR)
    ClosureDay.objects.create(date=dt.date(2026, 12, 3), reason="Grève")
    response = parent_client.post("/ville-a/reservations/semaine/", {
        "child": theo.pk, "service": canteen.pk, "semaine": "2026-W49"}, follow=True)
    assert "3 jours réservés pour Théo" in response.content.decode()
    assert sorted(Booking.objects.values_list("date", flat=True)) == [
        dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2026, 12, 4)]


def test_another_familys_child_answers_404_everywhere(parent_client, family, canteen):
    theo = family.child
    enrol(theo, canteen, YEAR)
    stranger = ChildFactory(first_name="Zoé")
    enrol(stranger, canteen, YEAR)
    cell = {"child": stranger.pk, "service": canteen.pk, "date": "2026-11-30", "action": "set"}
    assert parent_client.post("/ville-a/reservations/case/", cell).status_code == 404
    assert parent_client.post("/ville-a/reservations/case/", cell, HTTP_HX_REQUEST="true").status_code == 404
    assert parent_client.post("/ville-a/reservations/semaine/", {
        "child": stranger.pk, "service": canteen.pk, "semaine": "2026-W49"}).status_code == 404
    for step in ("params", "summary", "confirm"):
        wizard = parent_client.post("/ville-a/reservations/en-masse/", {
            "service": canteen.pk, "children": [stranger.pk], f"days_{stranger.pk}": [0], "start": "30/11/2026",
            "end": "11/12/2026", "action": "add", "criterion": "none", "goto": step})
        assert wizard.status_code == 404, step
    assert not Booking.objects.exists()


def test_the_week_grid_needs_a_constant_number_of_queries(client, town, django_assert_max_num_queries):
    def household_with(n_children, n_services):
        guardian = GuardianFactory()
        services = [ServiceFactory(weekdays=[0, 1, 2, 3, 4], capacity=30) for _ in range(n_services)]
        for _ in range(n_children):
            child = ChildFactory(household=guardian.household)
            for service in services:
                enrol(child, service, YEAR)
                Booking.objects.create(child=child, service=service, date=dt.date(2026, 11, 30))
        return guardian

    small, large = household_with(1, 1), household_with(3, 7)
    client.force_login(small.user)
    client.get("/ville-a/reservations/?semaine=2026-W49")  # warm the per-process caches (town, profile)
    with django_assert_max_num_queries(50) as small_queries:
        assert client.get("/ville-a/reservations/?semaine=2026-W49").status_code == 200
    baseline = len(small_queries)  # now: the next request empties Django's query log
    client.force_login(large.user)
    client.get("/ville-a/reservations/?semaine=2026-W49")
    with django_assert_max_num_queries(baseline) as large_queries:
        response = client.get("/ville-a/reservations/?semaine=2026-W49")
    assert response.content.decode().count('data-state="booked"') == 21
    assert len(large_queries) == baseline


def test_the_bulk_wizard_goes_from_service_to_confirmation(parent_client, family, canteen):
    guardian, (theo, anna) = family.guardian, family.children
    david = ChildFactory(household=guardian.household, first_name="David")
    enrol(theo, canteen, YEAR)
    enrol(anna, canteen, YEAR)
    url = "/ville-a/reservations/en-masse/"

    # Step 1: the service
    first = parent_client.get(url)
    assert "Repas Enfant" in first.content.decode()
    # Step 2: the children, David shown disabled "Non inscrit"
    second = parent_client.post(url, {"service": canteen.pk, "goto": "children"})
    content = second.content.decode()
    assert "(Non inscrit)" in content
    assert re.search(rf'value="{david.pk}" id="child-{david.pk}" disabled', content)
    # Step 3: parameters, a bad date is refused with a clear message
    state = {"service": canteen.pk, "children": [theo.pk]}
    third = parent_client.post(url, {**state, "goto": "summary", f"days_{theo.pk}": [0, 3], "start": "31/02/2026",
                                 "end": "11/12/2026", "action": "add", "criterion": "none"})
    assert "Date de début invalide (JJ/MM/AAAA)." in third.content.decode()
    params = {**state, f"days_{theo.pk}": [0, 3], "start": "30/11/2026", "end": "11/12/2026",
              "action": "add", "criterion": "none"}
    # Step 4: the summary, nothing written yet
    summary = parent_client.post(url, {**params, "goto": "summary"})
    assert summary.context["step"] == "summary"
    assert len(summary.context["plan"].to_create) == 4
    assert not Booking.objects.exists()
    # Confirm: bookings created, confirmation message on the week page
    done = parent_client.post(url, {**params, "goto": "confirm"}, follow=True)
    assert "Vos réservations ont bien été enregistrées : 4 créées" in done.content.decode()
    assert Booking.objects.filter(child=theo, status="booked").count() == 4
    assert set(Booking.objects.values_list("changes__source", flat=True)) == {"bulk"}


def summary_section(content: str, child) -> str:
    match = re.search(rf'<section class="summary-child" aria-labelledby="summary-child-{child.pk}">.*?</section>',
                      content, re.S)
    assert match, f"no summary for {child.first_name}"
    return match.group(0)


def dates_listed(section: str, kind: str) -> list[str]:
    match = re.search(rf'<ul class="summary-dates summary-{kind}">(.*?)</ul>', section, re.S)
    return re.findall(r'<time datetime="[^"]+">([^<]+)</time>', match.group(1)) if match else []


def test_replacing_in_the_bulk_wizard_lists_the_dates_cancelled_and_created_for_each_child(
    parent_client, family, canteen
):
    from tenant_apps.bookings import services

    guardian, (theo, anna) = family.guardian, family.children
    enrol(theo, canteen, YEAR)
    enrol(anna, canteen, YEAR)
    # Given Théo is booked on Tuesday 1 and Friday 4 December, Anna on Tuesday 8 December
    for child, day in ((theo, dt.date(2026, 12, 1)), (theo, dt.date(2026, 12, 4)), (anna, dt.date(2026, 12, 8))):
        services.booking_set(child=child, service=canteen, day=day, actor=guardian.user, source="portal")
    # When the parent asks to replace them by Mondays (Théo) and Thursdays (Anna), 30/11 to 11/12
    summary = parent_client.post("/ville-a/reservations/en-masse/", {
        "service": canteen.pk, "children": [theo.pk, anna.pk], f"days_{theo.pk}": [0], f"days_{anna.pk}": [3],
        "start": "30/11/2026", "end": "11/12/2026", "action": "replace", "criterion": "none", "goto": "summary"})
    content = summary.content.decode()
    # Then before confirming, each child's summary spells out which dates are cancelled and which created
    assert "seront annulées" in content
    theo_summary, anna_summary = summary_section(content, theo), summary_section(content, anna)
    assert dates_listed(theo_summary, "cancel") == ["mardi 1 décembre 2026", "vendredi 4 décembre 2026"]
    assert dates_listed(theo_summary, "create") == ["lundi 30 novembre 2026", "lundi 7 décembre 2026"]
    assert dates_listed(anna_summary, "cancel") == ["mardi 8 décembre 2026"]
    assert dates_listed(anna_summary, "create") == ["jeudi 3 décembre 2026", "jeudi 10 décembre 2026"]
    # And nothing is cancelled yet
    assert Booking.objects.filter(status="booked").count() == 3


def test_the_bulk_summary_names_the_first_week_of_a_one_week_in_two_alternation(parent_client, family, canteen):
    theo = family.child
    enrol(theo, canteen, YEAR)
    summary = parent_client.post("/ville-a/reservations/en-masse/", {
        "service": canteen.pk, "children": [theo.pk], f"days_{theo.pk}": [0], "start": "30/12/2026",
        "end": "22/01/2027", "action": "add", "criterion": "alternate_weeks", "goto": "summary"})
    content = summary.content.decode()
    assert "Une semaine sur deux, à partir de la semaine du 28/12/2026" in content
    assert dates_listed(summary_section(content, theo), "create") == ["lundi 11 janvier 2027"]


def test_a_holiday_centre_row_shows_the_periods_closing_date(parent_client, family):
    from tenant_apps.catalog.models import Service, ServicePeriod

    theo = family.child
    centre = ServiceFactory(name="ALSH Vacances Journée", weekdays=[0, 1, 2, 3, 4],
                            calendar=Service.Calendar.SCHOOL_HOLIDAYS, deadline_mode="fixed_date",
                            deadline_time=dt.time(12, 0), deadline_days=3, deadline_day_kind="working")
    enrol(theo, centre, YEAR)
    ServicePeriod.objects.create(service=centre, label="Noël", start=dt.date(2026, 12, 19), end=dt.date(2027, 1, 3),
                                 closes_at=dt.datetime(2026, 12, 9, 23, 59, tzinfo=PARIS))
    christmas = parent_client.get("/ville-a/reservations/?semaine=2026-W52").content.decode()
    assert "Fin de réservation: 09/12/2026 23:59" in christmas
    assert 'data-state="available"' in cell_html(christmas, theo, centre, dt.date(2026, 12, 21))
    # A school week: the centre does not run, and the fallback rule is shown
    school = parent_client.get("/ville-a/reservations/?semaine=2026-W49").content.decode()
    assert "Fin de réservation: 12:00 (3 jours ouvrés avant)" in school
    assert "Uniquement pendant les vacances scolaires" in cell_html(school, theo, centre, dt.date(2026, 11, 30))


def test_a_saturday_column_appears_only_when_a_displayed_service_runs_on_saturdays(parent_client, family, canteen):
    theo, anna = family.children
    enrol(theo, canteen, YEAR)
    without = parent_client.get("/ville-a/reservations/?semaine=2026-W49").content.decode()
    assert "sam 5 décembre 2026" not in without
    club = ServiceFactory(name="Club du samedi", weekdays=[5], deadline_time=dt.time(18, 0))
    enrol(anna, club, YEAR)
    with_saturday = parent_client.get("/ville-a/reservations/?semaine=2026-W49").content.decode()
    assert "sam 5 décembre 2026" in with_saturday
    assert 'data-state="available"' in cell_html(with_saturday, anna, club, dt.date(2026, 12, 5))
    assert "dim 6 décembre 2026" not in with_saturday


def test_the_grid_offers_a_day_of_the_next_school_year_only_if_the_write_would_accept_it(parent_client, family):
    theo = family.child
    # Given two Sunday clubs Théo is enrolled in for 2026-2027 only, one of them needing no enrolment
    free = ServiceFactory(name="Club libre", weekdays=[6], enrolment_required=False, deadline_time=dt.time(18, 0))
    strict = ServiceFactory(name="Club inscrit", weekdays=[6], deadline_time=dt.time(18, 0))
    enrol(theo, free, YEAR)
    enrol(theo, strict, YEAR)
    # When the parent opens the week ending on Sunday 1 August 2027, the first day of 2027-2028
    content = parent_client.get("/ville-a/reservations/?semaine=2027-W30").content.decode()
    sunday = dt.date(2027, 8, 1)
    # Then the club without enrolment can be booked that day, the other says why not
    assert 'data-state="available"' in cell_html(content, theo, free, sunday)
    assert "non inscrit pour cette année scolaire" in cell_html(content, theo, strict, sunday)
    response = parent_client.post("/ville-a/reservations/case/", {
        "child": theo.pk, "service": free.pk, "date": "2027-08-01", "action": "set"})
    assert response.status_code == 302
    assert Booking.objects.get(child=theo, service=free, date=sunday).is_booked
