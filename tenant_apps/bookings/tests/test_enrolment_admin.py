"""The town admin's enrolments go through the same services as the enrolments page: added by
enrolment_add, ended by enrolment_delete (its future bookings cancelled on record, refused once
invoiced), never edited in place."""

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.models import LogEntry

from tenant_apps.bookings import services as booking_services
from tenant_apps.bookings.models import Booking, BookingChange
from tenant_apps.catalog.models import Enrolment
from tenant_apps.catalog.tests.factories import enrol

YEAR = "2026-2027"
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))  # a Friday
ADMIN = "/ville-a/gestion/admin/services/enrolment/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def book(child, service, *days, actor):
    for day in days:
        booking_services.booking_set(child=child, service=service, day=day, actor=actor,
                                     source=BookingChange.Source.PORTAL)


def test_the_admin_enrols_through_the_service_and_explains_a_bad_school_year(staff_client, family, canteen):
    theo = family.child
    # A school year the service refuses is shown beside its field, nothing is written
    refused = staff_client.post(f"{ADMIN}add/", {"child": theo.pk, "service": canteen.pk, "school_year": "2026"})
    assert refused.status_code == 200 and "Année scolaire invalide (ex. 2026-2027)." in refused.content.decode()
    assert not Enrolment.objects.exists()
    # A good one enrols the child
    added = staff_client.post(f"{ADMIN}add/", {"child": theo.pk, "service": canteen.pk, "school_year": YEAR})
    assert added.status_code == 302
    enrolment = Enrolment.objects.get(child=theo, service=canteen, school_year=YEAR)
    # Editing in place would skip the rules of both ends: the page is read-only
    assert staff_client.get(f"{ADMIN}{enrolment.pk}/change/").status_code == 200
    assert staff_client.post(f"{ADMIN}{enrolment.pk}/change/", {
        "child": theo.pk, "service": canteen.pk, "school_year": "2027-2028"}).status_code == 403
    assert Enrolment.objects.get().school_year == YEAR


def test_deleting_in_the_admin_shows_then_cancels_the_future_bookings_on_record(staff_client, staff, family,
                                                                                  canteen):
    guardian, theo = family.guardian, family.child
    enrol(theo, canteen, YEAR)
    book(theo, canteen, dt.date(2026, 11, 30), dt.date(2026, 12, 1), actor=guardian.user)
    enrolment = Enrolment.objects.get()

    # The confirmation page says what confirming does
    page = staff_client.get(f"{ADMIN}{enrolment.pk}/delete/").content.decode()
    assert "2 réservations à venir seront annulées avec l'inscription" in page

    response = staff_client.post(f"{ADMIN}{enrolment.pk}/delete/", {"post": "yes"}, follow=True)

    assert "2 réservations à venir annulées." in response.content.decode()
    assert not Enrolment.objects.exists()
    assert set(Booking.objects.values_list("status", flat=True)) == {Booking.Status.CANCELLED}
    cancellations = BookingChange.objects.filter(action=BookingChange.Action.CANCELLED)
    assert cancellations.count() == 2 and {c.actor for c in cancellations} == {staff}
    # No bulk deletion that would skip the confirmation
    assert "delete_selected" not in staff_client.get(ADMIN).content.decode()


def test_the_admin_cannot_delete_an_enrolment_already_invoiced(staff_client, family, canteen):
    guardian, theo = family.guardian, family.child
    enrol(theo, canteen, YEAR)
    book(theo, canteen, dt.date(2026, 11, 30), actor=guardian.user)
    Booking.objects.update(invoiced=True)
    enrolment = Enrolment.objects.get()
    assert "1 réservation déjà facturée" in staff_client.get(f"{ADMIN}{enrolment.pk}/delete/").content.decode()

    response = staff_client.post(f"{ADMIN}{enrolment.pk}/delete/", {"post": "yes"}, follow=True)

    assert "l&#x27;inscription ne peut pas être supprimée" in response.content.decode()
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()
    assert Booking.objects.get().status == Booking.Status.BOOKED
    assert not LogEntry.objects.filter(object_id=str(enrolment.pk), action_flag=3).exists()  # no false "deleted"
