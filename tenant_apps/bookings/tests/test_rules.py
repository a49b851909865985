"""The booking rules as a table: plain facts in, the refusal (or none) out. No database."""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tenant_apps.bookings import rules
from tenant_apps.bookings.errors import (
    BookingInvoiced,
    ClosedDay,
    DeadlinePassed,
    NotEnrolled,
    ServiceFull,
)

PARIS = ZoneInfo("Europe/Paris")
DEADLINE = dt.datetime(2026, 11, 30, 8, 30, tzinfo=PARIS)
BEFORE, AFTER = DEADLINE - dt.timedelta(minutes=1), DEADLINE

# A day anyone may book: open, enrolled, before the deadlines, nothing booked, places left.
BOOKABLE = rules.BookingFacts(
    service_active=True, closed_reason=None, enrolment_required=True, enrolled=True,
    booking_deadline=DEADLINE, cancellation_deadline=DEADLINE, now=BEFORE, override=False,
    booked=False, invoiced=False, capacity=2, taken=1,
)


def facts(**changes) -> rules.BookingFacts:
    return dataclasses.replace(BOOKABLE, **changes)


@pytest.mark.parametrize(("changes", "refusal"), [
    ({}, None),
    ({"closed_reason": "Fermeture : Grève"}, ClosedDay),
    ({"service_active": False}, ClosedDay),
    ({"enrolled": False}, NotEnrolled),
    ({"enrolled": False, "enrolment_required": False}, None),
    ({"now": AFTER}, DeadlinePassed),
    ({"now": AFTER, "override": True}, None),
    ({"invoiced": True}, BookingInvoiced),
    ({"invoiced": True, "override": True}, BookingInvoiced),
    ({"taken": 2}, ServiceFull),
    ({"taken": 3, "override": True}, ServiceFull),
    ({"taken": 40, "capacity": None}, None),
    ({"capacity": 0, "taken": 0}, ServiceFull),
    # Booking a day already booked changes nothing, whatever else holds
    ({"booked": True, "closed_reason": "Jour férié : Noël", "enrolled": False, "now": AFTER, "invoiced": True,
      "taken": 9}, None),
])
def test_booking_refusal(changes, refusal):
    verdict = rules.booking_refusal(facts(**changes))
    assert type(verdict) is refusal if refusal else verdict is None


def test_the_first_refusal_wins_closed_then_not_enrolled_then_deadline_then_invoiced_then_full():
    # Given a day where every rule refuses
    faults = [{"closed_reason": "Fermeture : Grève"}, {"enrolled": False}, {"now": AFTER}, {"invoiced": True},
              {"taken": 2}]
    seen = []
    # When the faults are lifted one by one, in order
    while faults:
        changes = {key: value for fault in faults for key, value in fault.items()}
        seen.append(type(rules.booking_refusal(facts(**changes))))
        faults.pop(0)
    # Then each refusal shows in turn, in the documented order
    assert seen == [ClosedDay, NotEnrolled, DeadlinePassed, BookingInvoiced, ServiceFull]
    assert tuple(seen) == rules.REFUSALS


def test_a_refusal_carries_its_code_message_and_label():
    closed = rules.booking_refusal(facts(closed_reason="Jour férié : Noël"))
    assert (closed.code, closed.message, closed.label) == ("closed_day", "Jour férié : Noël", "Jour férié : Noël")
    inactive = rules.booking_refusal(facts(service_active=False))
    assert (inactive.code, inactive.label) == ("closed_day", "fermé ou pas de prestation")
    late = rules.booking_refusal(facts(now=AFTER))
    assert (late.code, late.message, late.label) == (
        "deadline_passed", "La date butoir est dépassée pour ce jour.", "date butoir dépassée")
    full = rules.booking_refusal(facts(taken=2))
    assert (full.code, full.http_status, full.label) == ("service_full", 409, "complet")


@pytest.mark.parametrize(("changes", "refusal"), [
    ({"booked": False, "invoiced": True, "now": AFTER}, None),  # nothing booked: nothing to cancel
    ({}, None),
    ({"invoiced": True}, BookingInvoiced),
    ({"invoiced": True, "override": True}, BookingInvoiced),  # locked, even for staff
    ({"now": AFTER}, DeadlinePassed),
    ({"now": AFTER, "override": True}, None),
    ({"now": AFTER, "closed_reason": "Fermeture : Grève"}, None),  # a day that turned out closed
    ({"now": AFTER, "invoiced": True}, BookingInvoiced),
    # The booking rules do not bind a cancellation
    ({"service_active": False, "enrolled": False, "taken": 5}, None),
])
def test_cancellation_refusal(changes, refusal):
    verdict = rules.cancellation_refusal(facts(**{"booked": True, **changes}))
    assert type(verdict) is refusal if refusal else verdict is None


def test_the_cancellation_deadline_is_its_own():
    # Given cancellations close the evening before while bookings close at 08:30 the same day
    evening_before = dt.datetime(2026, 11, 29, 18, 0, tzinfo=PARIS)
    day = facts(cancellation_deadline=evening_before, now=evening_before)
    # Then the day can still be booked but no longer cancelled
    assert rules.booking_refusal(day) is None
    refusal = rules.cancellation_refusal(dataclasses.replace(day, booked=True))
    assert isinstance(refusal, DeadlinePassed)
    assert refusal.message == "La date butoir d'annulation est dépassée pour ce jour."
