"""The grid, the bulk preview and the single write give the same verdict on any day (property test).

The day is Tuesday 1 August 2028, the first day of the 2028-2029 school year, shown in the week of
Monday 31 July: the child is enrolled for 2027-2028, so the row is shown, and enrolled or not for
the day's own school year.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenant_apps.bookings import selectors, services
from tenant_apps.bookings.errors import BookingRefusal
from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.models import ClosureDay
from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
from tenant_apps.families.tests.factories import ChildFactory

PARIS = ZoneInfo("Europe/Paris")
MONDAY, DAY = dt.date(2028, 7, 31), dt.date(2028, 8, 1)
NOW = {
    "before every deadline": dt.datetime(2028, 7, 28, 10, 0, tzinfo=PARIS),
    "after a separate cancellation deadline": dt.datetime(2028, 7, 31, 19, 0, tzinfo=PARIS),
    "after every deadline": dt.datetime(2028, 8, 1, 9, 0, tzinfo=PARIS),
}
BOOKING = {  # the child's booking of the day: (status, invoiced), or none
    "none": None, "booked": ("booked", False), "cancelled": ("cancelled", False),
    "booked, invoiced": ("booked", True), "cancelled, invoiced": ("cancelled", True),
}


def refusal_code(operation, **arguments) -> str | None:
    """The code of the write's refusal, None if it went through (what it wrote is rolled back)."""
    try:
        with transaction.atomic():
            operation(**arguments)
            transaction.set_rollback(True)
    except BookingRefusal as refusal:
        return refusal.code
    return None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    active=st.booleans(),
    calendar=st.sampled_from(["open", "town closure", "service closure", "not a service day"]),
    enrolment_required=st.booleans(),
    enrolled=st.booleans(),
    separate_cancellation=st.booleans(),
    moment=st.sampled_from(sorted(NOW)),
    booking=st.sampled_from(sorted(BOOKING)),
    capacity=st.sampled_from([None, 1, 2]),
    others_booked=st.integers(min_value=0, max_value=2),
    override=st.booleans(),
)
def test_the_grid_the_bulk_preview_and_the_single_write_agree(
        family, staff, active, calendar, enrolment_required, enrolled, separate_cancellation, moment, booking,
        capacity, others_booked, override):
    guardian, (theo, anna) = family.guardian, family.children
    with transaction.atomic():
        # Given a service, a child and a day in that combination
        service = ServiceFactory(
            name="Repas", is_active=active, enrolment_required=enrolment_required, capacity=capacity,
            weekdays=[0, 2, 3] if calendar == "not a service day" else [0, 1, 2, 3, 4],
            cancellation_mode="days_before" if separate_cancellation else "", cancellation_days=1,
            cancellation_time=dt.time(18, 0) if separate_cancellation else None)
        enrol(theo, service, "2027-2028", *(["2028-2029"] if enrolled else []))
        if calendar == "town closure":
            ClosureDay.objects.create(date=DAY, reason="Grève")
        elif calendar == "service closure":
            ClosureDay.objects.create(date=DAY, reason="Travaux", service=service)
        if BOOKING[booking]:
            status, invoiced = BOOKING[booking]
            Booking.objects.create(child=theo, service=service, date=DAY, status=status, invoiced=invoiced)
        for other in [anna, ChildFactory(household=guardian.household)][:others_booked]:
            Booking.objects.create(child=other, service=service, date=DAY)
        now = NOW[moment]
        actor = staff if override else guardian.user
        booked = booking in ("booked", "booked, invoiced")

        # When the grid, the bulk preview and the single write are asked about the day (the grid and the
        # preview first: they write nothing; the write is rolled back)
        grid = selectors.week_grid(guardian.household, MONDAY, now=now, only_child_id=theo.pk,
                                   only_service_id=service.pk)
        cells = [cell for child in grid.children for row in child.rows for cell in row.cells if cell.day == DAY]
        plan = services.bookings_bulk_preview(
            service=service, start=DAY, end=DAY, actor=actor, override=override, now=now,
            # Booked: replace with another weekday (the day would be cancelled); otherwise add the day
            weekdays_by_child={theo: [DAY.weekday() + 1 if booked else DAY.weekday()]},
            action="replace" if booked else "add")
        bulk = next((code for _child, _day, code in plan.skipped), None)
        assert len(plan.to_create) + len(plan.to_cancel) + len(plan.skipped) == 1
        single = refusal_code(services.booking_unset if booked else services.booking_set, child=theo,
                              service=service, day=DAY, actor=actor, source="portal", override=override, now=now)

        # Then they agree
        assert bulk == single
        if not active:
            assert cells == [], "an inactive service is not shown in the grid"
            assert booked or single == "closed_day"
        elif not override:  # the grid is the parents' screen: nobody overrides a deadline there
            (cell,) = cells
            assert (cell.state == "booked") == booked
            assert (None if cell.can_toggle else cell.code) == single
            assert cell.can_toggle or cell.reason
        transaction.set_rollback(True)

