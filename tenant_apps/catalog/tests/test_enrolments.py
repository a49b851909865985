"""Mass enrolment, renewal from one school year to the next, and ending an enrolment (services)."""

import datetime as dt

import pytest
import time_machine

from tenant_apps.bookings import enrolments
from tenant_apps.bookings import errors as bookings_errors
from tenant_apps.bookings.models import Booking, BookingChange
from tenant_apps.catalog import errors, services
from tenant_apps.catalog.models import Enrolment
from tenant_apps.catalog.tests.factories import ChildFactory, ServiceFactory, enrol

LAST_YEAR, YEAR = "2025-2026", "2026-2027"
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))  # Friday 27/11/2026


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def enrolled(year):
    return set(Enrolment.objects.filter(school_year=year).values_list("child__first_name", "service__name"))


def test_mass_enrolment_creates_the_missing_enrolments_and_reports_those_already_enrolled(staff, canteen):
    # Given three children, one of them already enrolled in the canteen
    lea, tom, zoe = (ChildFactory(first_name=name) for name in ("Léa", "Tom", "Zoé"))
    evening = ServiceFactory(name="Accueil soir", position=2)
    enrol(tom, canteen, YEAR)
    # When staff enrol the three of them in the canteen and the evening care
    report = services.enrolments_bulk_create(children=[lea, tom, zoe], services=[evening, canteen],
                                             school_year=YEAR, actor=staff)
    # Then five enrolments are created and Tom's existing one is reported, not duplicated
    assert report.created_count == 5
    assert report.already_enrolled == [(tom.pk, canteen.pk)]
    assert [(s.name, new, old) for s, new, old in report.per_service()] == [
        ("Repas Enfant", 2, 1), ("Accueil soir", 3, 0)]
    assert report.summary() == "5 inscriptions créées, 1 déjà existante (inchangée) pour 2026-2027."
    assert enrolled(YEAR) == {(c, s) for c in ("Léa", "Tom", "Zoé") for s in ("Repas Enfant", "Accueil soir")}
    # And running it again creates nothing
    again = services.enrolments_bulk_create(children=[lea, tom, zoe], services=[canteen, evening],
                                            school_year=YEAR, actor=staff)
    assert (again.created_count, again.already_enrolled_count) == (0, 6)


def test_mass_enrolment_refuses_parents_empty_choices_and_bad_years(family, staff, canteen):
    guardian, theo = family.guardian, family.child
    with pytest.raises(errors.StaffOnly) as refused:
        services.enrolments_bulk_create(children=[theo], services=[canteen], school_year=YEAR, actor=guardian.user)
    assert refused.value.code == "staff_only"
    with pytest.raises(errors.InvalidEnrolmentRequest) as empty:
        services.enrolments_bulk_create(children=[], services=[canteen], school_year=YEAR, actor=staff)
    assert empty.value.code == "invalid_enrolment_request"
    with pytest.raises(errors.InvalidSchoolYear):
        services.enrolments_bulk_create(children=[theo], services=[canteen], school_year="2026-2028", actor=staff)
    assert not Enrolment.objects.exists()


def test_renewal_copies_last_years_enrolments_once(staff, canteen):
    # Given last year: Léa at the canteen, Tom at the canteen and the evening care, Zoé at a closed service
    lea, tom, zoe = (ChildFactory(first_name=name) for name in ("Léa", "Tom", "Zoé"))
    evening = ServiceFactory(name="Accueil soir", position=2)
    closed = ServiceFactory(name="Ancien ALSH", is_active=False)
    enrol(lea, canteen, LAST_YEAR)
    enrol(tom, canteen, LAST_YEAR)
    enrol(tom, evening, LAST_YEAR)
    enrol(zoe, closed, LAST_YEAR)
    # and Tom was already enrolled at the canteen for this year
    enrol(tom, canteen, YEAR)
    # When staff renew last year's enrolments
    report = services.enrolments_renew(from_year=LAST_YEAR, to_year=YEAR, actor=staff)
    # Then only the missing ones of active services are created, with the counts per service
    assert (report.created_count, report.already_enrolled_count) == (2, 1)
    assert [(s.name, new, old) for s, new, old in report.per_service()] == [
        ("Repas Enfant", 1, 1), ("Accueil soir", 1, 0)]
    assert enrolled(YEAR) == {("Léa", "Repas Enfant"), ("Tom", "Repas Enfant"), ("Tom", "Accueil soir")}
    assert len(enrolled(LAST_YEAR)) == 4  # last year is untouched
    # And a second run only reports
    assert services.enrolments_renew(from_year=LAST_YEAR, to_year=YEAR, actor=staff).created_count == 0
    # Only the chosen services when staff pick some
    report = services.enrolments_renew(from_year=LAST_YEAR, to_year="2027-2028", services=[evening], actor=staff)
    assert enrolled("2027-2028") == {("Tom", "Accueil soir")} and report.created_count == 1


def test_renewal_goes_forward_only(staff):
    with pytest.raises(errors.InvalidRenewal) as backwards:
        services.enrolments_renew(from_year=YEAR, to_year=LAST_YEAR, actor=staff)
    assert backwards.value.code == "invalid_renewal"
    assert str(backwards.value) == "L'année scolaire de destination doit suivre l'année d'origine."


def book(child, service, *days, invoiced=False):
    return [Booking.objects.create(child=child, service=service, date=day, invoiced=invoiced) for day in days]


def test_an_enrolment_with_invoiced_bookings_cannot_be_deleted(family, staff, canteen):
    # Given Théo ate at the canteen in October, and that day is invoiced; he is booked next Monday too
    theo = family.child
    enrol(theo, canteen, YEAR)
    book(theo, canteen, dt.date(2026, 10, 5), invoiced=True)
    book(theo, canteen, dt.date(2026, 11, 30))
    enrolment = Enrolment.objects.get()
    # When staff try to delete his enrolment, even confirming the cancellations
    with pytest.raises(bookings_errors.EnrolmentHasBookings) as refused:
        enrolments.enrolment_delete(enrolment=enrolment, actor=staff, cancel_future_bookings=True)
    # Then it is refused with a stable code and nothing changed
    assert refused.value.code == "enrolment_has_bookings"
    assert "déjà facturées" in refused.value.message
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()
    assert Booking.objects.filter(status="booked").count() == 2
    assert not BookingChange.objects.exists()


def test_deleting_an_enrolment_cancels_future_bookings_once_confirmed(family, staff, canteen):
    # Given Théo ate at the canteen on Monday 23rd (not invoiced yet), today and is booked for next week
    theo = family.child
    enrol(theo, canteen, YEAR)
    enrol(theo, canteen, "2027-2028")  # next year's enrolment is another story
    past, today, *future = book(theo, canteen, dt.date(2026, 11, 23), dt.date(2026, 11, 27), dt.date(2026, 11, 30),
                                dt.date(2026, 12, 1))
    book(theo, canteen, dt.date(2027, 9, 6))  # next school year
    enrolment = Enrolment.objects.get(school_year=YEAR)
    # When staff delete the enrolment without confirming
    with pytest.raises(bookings_errors.CancellationNotConfirmed) as unconfirmed:
        enrolments.enrolment_delete(enrolment=enrolment, actor=staff)
    # Then nothing happens
    assert unconfirmed.value.code == "confirmation_required"
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()
    # When they confirm
    cancelled = enrolments.enrolment_delete(enrolment=enrolment, actor=staff, cancel_future_bookings=True)
    # Then the enrolment is gone and the two bookings of next week are cancelled, on record, by staff
    assert cancelled == 2
    assert not Enrolment.objects.filter(pk=enrolment.pk).exists()
    statuses = dict(Booking.objects.values_list("date", "status"))
    assert statuses == {dt.date(2026, 11, 23): "booked", dt.date(2026, 11, 27): "booked",
                        dt.date(2026, 11, 30): "cancelled", dt.date(2026, 12, 1): "cancelled",
                        dt.date(2027, 9, 6): "booked"}
    changes = BookingChange.objects.order_by("booking__date")
    assert [(c.booking.date, c.action, c.source, c.actor, c.detail) for c in changes] == [
        (day.date, "cancelled", "staff", staff, "Désinscription") for day in future]


def test_deleting_an_enrolment_without_future_bookings_needs_no_confirmation(family, staff, canteen):
    theo = family.child
    enrol(theo, canteen, YEAR)
    book(theo, canteen, dt.date(2026, 11, 23))
    assert enrolments.enrolment_delete(enrolment=Enrolment.objects.get(), actor=staff) == 0
    assert not Enrolment.objects.exists()
    assert Booking.objects.get().status == "booked"


def test_only_staff_delete_enrolments(family, canteen):
    guardian, theo = family.guardian, family.child
    enrol(theo, canteen, YEAR)
    with pytest.raises(errors.StaffOnly):
        enrolments.enrolment_delete(enrolment=Enrolment.objects.get(), actor=guardian.user)
    assert Enrolment.objects.exists()
