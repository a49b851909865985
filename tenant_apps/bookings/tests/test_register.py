"""The register on a tablet: an agent takes a canteen of 150 children with "Tous présents" and three
taps, each tap one request answering the row and the counts; the monthly summary; parents kept out."""

import datetime as dt

import pytest
import time_machine

from tenant_apps.bookings.models import Booking, BookingChange
from tenant_apps.bookings.tests.factories import book
from tenant_apps.catalog.tests.factories import enrol
from tenant_apps.families.tests.factories import ChildFactory

MONDAY = dt.date(2026, 11, 30)
YEAR = "2026-2027"
REGISTER = "/ville-a/gestion/reservations/registre/"
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def lunch_time():
    with time_machine.travel(dt.datetime(2026, 11, 30, 11, 45, tzinfo=dt.timezone(dt.timedelta(hours=1))),
                             tick=False):
        yield


def canteen_of(count, canteen, family):
    """`count` children booked for Monday's lunch: the family's Théo (allergic, PAI) first, then others."""
    theo = family.child
    theo.care_plan, theo.diet = True, "sans_porc"
    theo.save()
    theo.allergies.create(name="Arachide")
    children = [theo] + [ChildFactory(last_name=f"ZED{n:03d}", first_name=f"Enfant{n}") for n in range(count - 1)]
    for child in children:
        book(child, canteen, [MONDAY])
    return children


def test_an_agent_takes_150_children_with_tous_presents_and_three_taps(staff_client, staff, family, canteen):
    children = canteen_of(150, canteen, family)
    page = staff_client.get(f"{REGISTER}?date=2026-11-30&service={canteen.pk}").content.decode()
    assert 'data-count="expected">150<' in page and 'data-count="unknown">150<' in page
    # The allergy, PAI and diet marks are beside the child's name
    assert "Allergies : Arachide" in page and ">PAI<" in page and "Sans porc" in page
    requests = 0

    everyone = staff_client.post("/ville-a/gestion/reservations/registre/tous-presents/",
                                 {"service": canteen.pk, "date": "2026-11-30"}, headers=HTMX)
    requests += 1
    answer = everyone.content.decode()
    assert "150 enfants marqués présents." in answer
    assert 'id="register-counts" class="register-counts" aria-live="polite" hx-swap-oob="true"' in answer
    assert 'data-count="present">150<' in answer

    # Three children are not there after all: one tap each
    for child in children[1:4]:
        booking = Booking.objects.get(child=child)
        tap = staff_client.post("/ville-a/gestion/reservations/registre/pointer/",
                                {"booking": booking.pk, "attendance": "absent"}, headers=HTMX)
        requests += 1
        row = tap.content.decode()
        assert f'id="register-row-{booking.pk}"' in row and ">Absent</button>" in row
    assert requests == 4
    assert 'data-count="present">147<' in row and 'data-count="absent">3<' in row and 'data-count="unknown">0<' in row
    assert Booking.objects.filter(attendance="present").count() == 147
    assert BookingChange.objects.filter(source="register", actor=staff).count() == 153
    # The tap asks for the next state, so a retried tap changes nothing more
    again = staff_client.post("/ville-a/gestion/reservations/registre/pointer/",
                              {"booking": Booking.objects.get(child=children[1]).pk, "attendance": "absent"},
                              headers=HTMX).content.decode()
    assert 'data-count="absent">3<' in again
    # The next tap on an absent child makes them present again
    assert "&quot;attendance&quot;: &quot;present&quot;" in again or '"attendance": "present"' in again


def test_the_register_page_reads_a_bounded_number_of_queries(staff_client, family, canteen,
                                                             django_assert_max_num_queries):
    canteen_of(150, canteen, family)
    with django_assert_max_num_queries(20):
        response = staff_client.get(f"{REGISTER}?date=2026-11-30&service={canteen.pk}")
    assert response.status_code == 200


def test_a_walk_in_is_added_present_and_counted(staff_client, family, canteen):
    theo, anna = family.children
    enrol(anna, canteen, YEAR)
    book(theo, canteen, [MONDAY])
    response = staff_client.post("/ville-a/gestion/reservations/registre/ajouter/",
                                 {"service": canteen.pk, "date": "2026-11-30", "child": anna.pk}, follow=True)
    page = response.content.decode()
    assert "ALAIN Anna : présence sans réservation enregistrée." in page
    assert 'data-count="expected">2<' in page and 'data-count="present">1<' in page
    assert "(sans réservation)" in page


def test_the_monthly_summary_of_a_service(staff_client, family, canteen):
    theo, anna = family.children
    book(theo, canteen, [dt.date(2026, 11, 2), dt.date(2026, 11, 3)], attendance="present")
    book(theo, canteen, [dt.date(2026, 11, 5)], attendance="absent")
    book(anna, canteen, [dt.date(2026, 11, 5)], attendance="present", unbooked_attendance=True)
    book(anna, canteen, [dt.date(2026, 12, 1)], attendance="present")  # another month
    csv_text = staff_client.get(f"/ville-a/gestion/reservations/registre/bilan.csv?mois=2026-11&service={canteen.pk}"
                                ).content.decode("utf-8-sig")
    assert csv_text.strip().splitlines() == [
        "Nom;Prénom;Jours réservés;Présent;Absent;Absence justifiée;Non pointé;Présences sans réservation",
        "ALAIN;Anna;0;1;0;0;0;1",
        "ALAIN;Théo;3;2;1;0;0;0",
        "Total;;3;3;1;0;0;1",
    ]
    pdf = staff_client.get(f"/ville-a/gestion/reservations/registre/bilan.pdf?mois=2026-11&service={canteen.pk}")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_register_api_for_staff_only(staff_client, parent_client, family, canteen):
    book(family.child, canteen, [MONDAY])
    booking = Booking.objects.get()
    tap = staff_client.post("/ville-a/api/v1/staff/register/tap/", {"booking": booking.pk, "attendance": "present"},
                            content_type="application/json")
    assert tap.status_code == 200
    assert tap.json()["counts"] == {"expected": 1, "present": 1, "absent": 0, "unknown": 0}
    day = staff_client.get(f"/ville-a/api/v1/staff/register/?service={canteen.pk}&date=2026-11-30").json()
    assert day["rows"][0]["attendance"] == "present"
    everyone = staff_client.post("/ville-a/api/v1/staff/register/all-present/",
                                 {"service": canteen.pk, "date": "2026-11-30"}, content_type="application/json")
    assert everyone.json()["changed"] == 0
    # A parent reaches neither the API nor the screens
    assert parent_client.post("/ville-a/api/v1/staff/register/tap/", {"booking": booking.pk, "attendance": "absent"},
                              content_type="application/json").status_code == 403
    for url in (REGISTER, "/ville-a/gestion/reservations/absences/",
                f"/ville-a/gestion/reservations/registre/bilan.csv?service={canteen.pk}"):
        assert parent_client.get(url).status_code == 302, url
    assert parent_client.post("/ville-a/gestion/reservations/registre/pointer/",
                              {"booking": booking.pk, "attendance": "absent"}).status_code == 302
    booking.refresh_from_db()
    assert booking.attendance == "present"
