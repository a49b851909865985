"""Staff screens: services and deadline rules, closure days, enrolments, attendance (pointage)."""

import datetime as dt

import pytest
import time_machine

from tenant_apps.bookings import services as booking_services
from tenant_apps.bookings.models import Booking, BookingChange
from tenant_apps.catalog.models import ClosureDay, Enrolment, Service
from tenant_apps.catalog.tests.factories import enrol

YEAR = "2026-2027"
MONDAY = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_parents_cannot_open_staff_screens(client, family):
    guardian = family.guardian
    client.force_login(guardian.user)
    for url in ("/ville-a/gestion/prestations/", "/ville-a/gestion/reservations/",
                "/ville-a/gestion/reservations/pointage.csv", "/ville-a/gestion/prestations/inscriptions/"):
        assert client.get(url).status_code == 302, url


def test_staff_create_a_service_with_a_working_days_deadline(staff_client):
    response = staff_client.post("/ville-a/gestion/prestations/nouvelle/", {
        "name": "ALSH Vacances Journée", "kind": "holiday_centre", "weekdays": ["0", "1", "2", "3", "4"],
        "calendar": "school_holidays", "capacity": "40", "enrolment_required": "on", "colour": "#aa3300",
        "position": "7", "is_active": "on", "deadline_mode": "days_before", "deadline_time": "12:00",
        "deadline_days": "3", "deadline_day_kind": "working", "cancellation_mode": "", "cancellation_time": "",
        "cancellation_days": "0", "cancellation_day_kind": "calendar",
    }, follow=True)
    assert "Prestation « ALSH Vacances Journée » enregistrée." in response.content.decode()
    service = Service.objects.get(name="ALSH Vacances Journée")
    assert (service.weekdays, service.deadline_days, service.deadline_day_kind) == ([0, 1, 2, 3, 4], 3, "working")
    listing = staff_client.get("/ville-a/gestion/prestations/").content.decode()
    assert "12:00 (3 jours ouvrés avant)" in listing
    # A contradictory rule is refused with a clear message
    bad = staff_client.post("/ville-a/gestion/prestations/nouvelle/", {
        "name": "X", "kind": "other", "calendar": "school_days", "colour": "#000000", "position": "1",
        "deadline_mode": "same_day_time", "deadline_time": "08:30", "deadline_days": "2",
        "deadline_day_kind": "calendar", "cancellation_days": "0", "cancellation_day_kind": "calendar"})
    assert bad.status_code == 200 and "ne prend pas de nombre de jours" in bad.content.decode()


def test_staff_add_a_closure_day_and_enrol_a_child(staff_client, staff, family, canteen):
    theo = family.child
    staff_client.post("/ville-a/gestion/prestations/fermetures/", {"date": "2026-12-03", "reason": "Grève"})
    assert ClosureDay.objects.get().reason == "Grève"
    staff_client.post("/ville-a/gestion/prestations/inscriptions/", {
        "child": theo.pk, "service": canteen.pk, "school_year": YEAR})
    assert Enrolment.objects.filter(child=theo, service=canteen, school_year=YEAR).exists()
    again = staff_client.post("/ville-a/gestion/prestations/inscriptions/", {
        "child": theo.pk, "service": canteen.pk, "school_year": YEAR})
    assert "déjà inscrit" in again.content.decode()
    page = staff_client.get(f"/ville-a/gestion/prestations/inscriptions/?annee={YEAR}").content.decode()
    assert "ALAIN Théo" in page


def test_the_attendance_sheet_lists_booked_children_and_staff_mark_them(staff_client, staff, family, canteen):
    guardian, (theo, anna) = family.guardian, family.children
    enrol(theo, canteen, YEAR)
    enrol(anna, canteen, YEAR)
    # Théo eats no pork, is allergic to peanuts, has a PAI and is in CM1 this school year
    theo.diet, theo.care_plan = "sans_porc", True
    theo.save()
    theo.allergies.create(name="Arachide")
    theo.placements.create(school_year=YEAR, school="École élémentaire", level="CE2/CM1", school_class="CM1")
    booking_services.booking_set(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal")
    url = f"/ville-a/gestion/reservations/?date=2026-11-30&service={canteen.pk}"

    sheet = staff_client.get(url).content.decode()
    assert "ALAIN Théo" in sheet and "1 enfant ·" in sheet
    booking = Booking.objects.get(child=theo)
    staff_client.post("/ville-a/gestion/reservations/pointage/marquer/", {"booking": booking.pk,
                                                                         "attendance": "justified_absence"})
    booking.refresh_from_db()
    assert booking.attendance == "justified_absence"
    # Anna turned up without a booking
    staff_client.post("/ville-a/gestion/reservations/pointage/ajouter/", {
        "date": "2026-11-30", "service": canteen.pk, "child": anna.pk})
    walk_in = Booking.objects.get(child=anna)
    assert walk_in.unbooked_attendance and walk_in.attendance == "present"
    assert walk_in.changes.get().actor == staff

    csv_text = staff_client.get(f"/ville-a/gestion/reservations/pointage.csv?date=2026-11-30&service={canteen.pk}"
                                ).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Nom;Prénom;Classe;Régime;Allergies;PAI;Pointage")
    assert "ALAIN;Anna;;;;;Présent;oui" in lines
    assert "ALAIN;Théo;CM1;Sans porc;Arachide;oui;Absence justifiée;" in lines
    pdf = staff_client.get(f"/ville-a/gestion/reservations/pointage.pdf?date=2026-11-30&service={canteen.pk}")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_admin_lists_bookings_and_its_cancel_action_overrides_the_deadline_on_record(staff_client, staff, family,
                                                                                           canteen):
    theo = family.child
    enrol(theo, canteen, YEAR)
    booking = booking_services.booking_set(child=theo, service=canteen, day=dt.date(2026, 11, 27),
                                           actor=staff, source="staff", override=True)
    listing = staff_client.get("/ville-a/gestion/admin/bookings/booking/?q=Théo")
    assert listing.status_code == 200 and "ALAIN Théo" in listing.content.decode()
    for path in ("services/service/", "services/closureday/", "services/enrolment/?q=theo",
                 "bookings/bookingchange/", f"bookings/booking/{booking.pk}/change/", "services/service/add/"):
        assert staff_client.get(f"/ville-a/gestion/admin/{path}").status_code == 200, path
    staff_client.post("/ville-a/gestion/admin/bookings/booking/", {
        "action": "cancel", "_selected_action": [booking.pk]})
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    change = booking.changes.get(action="cancelled")
    assert (change.source, change.override, change.actor) == (BookingChange.Source.ADMIN, True, staff)


def test_staff_book_and_cancel_past_the_deadline_with_the_override_recorded(staff_client, family, canteen):
    theo = family.child
    enrol(theo, canteen, YEAR)
    today = {"date": "2026-11-27", "service": canteen.pk, "child": theo.pk}  # past 08:30
    staff_client.post("/ville-a/gestion/reservations/reserver/", {**today, "action": "set"})
    booking = Booking.objects.get(child=theo)
    assert booking.is_booked
    staff_client.post("/ville-a/gestion/reservations/reserver/", {**today, "action": "unset"})
    booking.refresh_from_db()
    assert not booking.is_booked
    assert list(booking.changes.order_by("at", "pk").values_list("action", "source", "override")) == [
        ("booked", "staff", True), ("cancelled", "staff", True)]


def test_staff_add_a_fixed_closing_period_and_given_dates(staff_client, canteen):
    url = f"/ville-a/gestion/prestations/{canteen.pk}/"
    staff_client.post(f"{url}periodes/", {"period-label": "Été", "period-start": "2027-07-05",
                                          "period-end": "2027-08-31", "period-closes_at": "2027-06-15T23:59"})
    period = canteen.periods.get()
    # The moment is read in the town's time zone (summer time in June)
    assert period.label == "Été"
    assert period.closes_at == dt.datetime(2027, 6, 15, 21, 59, tzinfo=dt.UTC)
    backwards = staff_client.post(f"{url}periodes/", {"period-label": "X", "period-start": "2027-08-31",
                                                      "period-end": "2027-07-05",
                                                      "period-closes_at": "2027-06-15T23:59"}, follow=True)
    assert "La fin de la période doit suivre son début." in backwards.content.decode()
    staff_client.post(f"{url}dates/", {"date-date": "2027-01-16"})
    assert list(canteen.dates.values_list("date", flat=True)) == [dt.date(2027, 1, 16)]
    assert "Été" in staff_client.get(url).content.decode()
