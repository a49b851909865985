"""The demo data: the guide's services and deadlines, the ALAIN children enrolled and booked."""

import datetime as dt

import time_machine
from django.db import connection

from tenant_apps.bookings import demo as bookings_demo
from tenant_apps.bookings.models import Booking
from tenant_apps.bookings.selectors import bookings_of_day
from tenant_apps.catalog import demo as services_demo
from tenant_apps.catalog.models import Enrolment, Service
from tenant_apps.families.tests.factories import ChildFactory, HouseholdFactory


def test_demo_services_enrolments_and_bookings(town):
    # Given the families demo created the ALAIN household (Théo, Anna, David); today is a Wednesday
    alain = HouseholdFactory(name="ALAIN")
    for first_name in ("Théo", "Anna", "David"):
        ChildFactory(household=alain, first_name=first_name)
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC), tick=False):
        services_demo.load(connection.tenant)
        bookings_demo.load(connection.tenant)
        todays = [(b.child.first_name, b.service.name) for b in bookings_of_day(alain, dt.date(2026, 11, 25))]

    deadlines = {s.name: s.deadline_label for s in Service.objects.all()}
    assert deadlines == {
        "Repas Enfant": "08:30", "Accueil périscolaire matin": "06:00", "Accueil périscolaire soir": "06:00",
        "Mercredi sortie vacances scolaires": "23:59", "ALSH Mercredi matin": "07:30",
        "ALSH Mercredi après-midi": "12:00", "ALSH Vacances Journée": "date de clôture de la période",
    }
    assert Service.objects.get(name="ALSH Vacances Journée").periods.filter(label="Vacances de Noël").exists()
    assert Enrolment.objects.filter(child__first_name="Théo", school_year="2026-2027").count() == 7
    assert Enrolment.objects.filter(child__first_name="Anna").count() == 6
    assert not Enrolment.objects.filter(child__first_name="David").exists()
    # The dashboard's "réservations de la journée", as in the guide
    assert sorted(todays) == [("Anna", "ALSH Mercredi après-midi"), ("Théo", "ALSH Mercredi après-midi"),
                              ("Théo", "ALSH Mercredi matin")]
    assert Booking.objects.filter(date__gte=dt.date(2026, 11, 30)).exists()  # next week too
