"""The last places of a day, fought for by concurrent requests at real PostgreSQL.

Each thread has its own database connection and transaction, so the data must be committed:
the test provisions a throw-away town and drops it afterwards.
"""

import datetime as dt
import threading
import uuid

import pytest
from django.db import close_old_connections, connection, transaction
from django_tenants.utils import tenant_context

from tenant_apps.bookings.errors import ServiceFull
from tenant_apps.bookings.models import Booking, BookingChange
from tenant_apps.bookings.services import booking_set, booking_unset


@pytest.fixture
def race_town(live_db):
    from provisioning.services import town_create, town_drop
    from tenants.opening import town_open

    town = town_create(slug=f"race-{uuid.uuid4().hex[:8]}", name="Mairie de Course", zone="B")
    town_open(town=town, by="tests")  # parents sign in: the portal is open
    try:
        yield town
    finally:
        connection.set_schema_to_public()
        town_drop(town=town)


def run_concurrently(town, jobs):
    """Start every job at the same instant, each in its own thread and connection; collect outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def worker(index, job):
        try:
            connection.set_tenant(town)
            barrier.wait()
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return outcomes


def test_twelve_families_racing_for_three_places_get_exactly_three(race_town):
    from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
    from tenant_apps.families.tests.factories import ChildFactory

    day = dt.date.today() + dt.timedelta(days=30)  # noqa: DTZ011
    while day.weekday() != 0:
        day += dt.timedelta(days=1)
    # Given a service with 3 places and 12 enrolled children of different families
    with tenant_context(race_town), transaction.atomic():
        service = ServiceFactory(name="Sortie zoo", capacity=3, weekdays=[0, 1, 2, 3, 4],
                                 deadline_time=dt.time(23, 59))
        children = [ChildFactory() for _ in range(12)]
        for child in children:
            enrol(child, service, "2025-2026", "2026-2027", "2027-2028")

    # When all twelve book the same day at the same instant
    def book(child):
        return lambda: booking_set(child=child, service=service, day=day, actor=None, source="api")

    outcomes = run_concurrently(race_town, [book(child) for child in children])

    # Then exactly three succeed and nine are told the day is full
    assert sum(isinstance(o, Booking) for o in outcomes) == 3, outcomes
    assert sum(isinstance(o, ServiceFull) for o in outcomes) == 9, outcomes
    with tenant_context(race_town):
        assert Booking.objects.filter(service=service, date=day, status="booked").count() == 3

    # And when the three cancel while the nine retry, the day never holds more than three
    booked = {b.child_id for b in outcomes if isinstance(b, Booking)}
    jobs = [(lambda c=c: booking_unset(child=c, service=service, day=day, actor=None, source="api"))
            for c in children if c.pk in booked]
    jobs += [book(c) for c in children if c.pk not in booked]
    run_concurrently(race_town, jobs)
    with tenant_context(race_town):
        assert Booking.objects.filter(service=service, date=day, status="booked").count() <= 3
        # And every booking row is unique per child and day, with its change recorded
        assert Booking.objects.filter(service=service, date=day).count() == len(
            set(Booking.objects.filter(service=service, date=day).values_list("child_id", flat=True)))
        assert BookingChange.objects.filter(booking__service=service, action="booked").count() >= 3


def test_the_same_child_booked_twice_at_once_gives_one_booking(race_town):
    from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
    from tenant_apps.families.tests.factories import ChildFactory

    day = dt.date.today() + dt.timedelta(days=30)  # noqa: DTZ011
    while day.weekday() != 1:
        day += dt.timedelta(days=1)
    with tenant_context(race_town), transaction.atomic():
        service = ServiceFactory(name="Repas", weekdays=[0, 1, 2, 3, 4], deadline_time=dt.time(23, 59))
        child = ChildFactory()
        enrol(child, service, "2025-2026", "2026-2027", "2027-2028")

    outcomes = run_concurrently(race_town, [
        lambda: booking_set(child=child, service=service, day=day, actor=None, source="portal") for _ in range(8)])

    assert all(isinstance(o, Booking) for o in outcomes), outcomes
    with tenant_context(race_town):
        assert Booking.objects.filter(child=child, service=service, date=day).count() == 1
        assert BookingChange.objects.filter(booking__child=child, action="booked").count() == 1


def signed_in_cookies(town, user) -> dict:
    """Session and CSRF cookies of a signed-in parent, as a browser would hold them."""
    import secrets

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    with tenant_context(town):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
    return {"sessionid": session.session_key, "csrftoken": secrets.token_hex(16)}


def test_parents_racing_through_the_web_pages_never_overbook(race_town, live_server_url):
    import requests

    from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
    from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory

    day = dt.date.today() + dt.timedelta(days=30)  # noqa: DTZ011
    while day.weekday() != 3:
        day += dt.timedelta(days=1)
    # Given 10 families, each with one enrolled child, and 4 places left
    with tenant_context(race_town), transaction.atomic():
        service = ServiceFactory(name="Sortie piscine", capacity=4, weekdays=[0, 1, 2, 3, 4],
                                 deadline_time=dt.time(23, 59))
        parents = []
        for _ in range(10):
            guardian = GuardianFactory()
            child = ChildFactory(household=guardian.household)
            enrol(child, service, "2025-2026", "2026-2027", "2027-2028")
            parents.append((guardian.user, child))
    cookies = [signed_in_cookies(race_town, user) for user, _child in parents]
    barrier = threading.Barrier(len(parents))
    states = [None] * len(parents)

    def click(index):
        _user, child = parents[index]
        barrier.wait()
        response = requests.post(
            f"{live_server_url}/{race_town.slug}/reservations/case/",
            data={"child": child.pk, "service": service.pk, "date": day.isoformat(), "action": "set"},
            headers={"HX-Request": "true", "X-CSRFToken": cookies[index]["csrftoken"]}, cookies=cookies[index],
            timeout=30)
        states[index] = (response.status_code, response.text)

    # When they all click "+" on the same day at the same instant
    threads = [threading.Thread(target=click, args=(i,)) for i in range(len(parents))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then four see "réservé" and six see the day full, and the database agrees
    assert all(status == 200 for status, _text in states), states
    booked = [text for _status, text in states if 'data-state="booked"' in text]
    full = [text for _status, text in states if "plus de place" in text]
    assert (len(booked), len(full)) == (4, 6)
    with tenant_context(race_town):
        assert Booking.objects.filter(service=service, date=day, status="booked").count() == 4
