"""The booking rules, enforced once in the service functions."""

import datetime as dt

import pytest

from tenant_apps.bookings import services
from tenant_apps.bookings.errors import (
    BookingInvoiced,
    ClosedDay,
    DeadlinePassed,
    NotEnrolled,
    OverrideNotAllowed,
    ServiceFull,
)
from tenant_apps.bookings.models import Booking, BookingChange
from tenant_apps.catalog.models import ClosureDay
from tenant_apps.catalog.tests.factories import enrol
from tenant_apps.families.tests.factories import ChildFactory

YEAR = "2026-2027"
MONDAY = dt.date(2026, 11, 30)
THURSDAY = dt.date(2026, 12, 3)


def test_a_parent_books_then_cancels_before_the_deadline_and_each_change_is_recorded(family, canteen, at):
    guardian, theo = family.guardian, family.child
    enrol(theo, canteen, YEAR)
    # When the parent books Monday from the portal on Friday
    booking = services.booking_set(child=theo, service=canteen, day=MONDAY, actor=guardian.user,
                                   source="portal", now=at(2026, 11, 27, 10))
    # Then it is booked, and booking again changes nothing
    assert booking.status == Booking.Status.BOOKED
    services.booking_set(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal",
                         now=at(2026, 11, 27, 10))
    assert Booking.objects.filter(child=theo).count() == 1
    # When they cancel on Monday at 08:29
    services.booking_unset(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="api",
                           now=at(2026, 11, 30, 8, 29))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    # Then both changes are recorded with who and from where
    changes = list(booking.changes.order_by("at", "pk").values_list("action", "source", "actor", "override"))
    assert changes == [("booked", "portal", guardian.user.pk, False), ("cancelled", "api", guardian.user.pk, False)]


def test_after_the_deadline_a_parent_is_refused_but_staff_may_override_and_it_is_recorded(family, canteen, staff, at):
    guardian, theo = family.guardian, family.child
    enrol(theo, canteen, YEAR)
    late = at(2026, 11, 30, 8, 30)
    with pytest.raises(DeadlinePassed) as error:
        services.booking_set(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal", now=late)
    assert error.value.code == "deadline_passed"
    # A parent cannot claim the override
    with pytest.raises(OverrideNotAllowed):
        services.booking_set(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal",
                             now=late, override=True)
    booking = services.booking_set(child=theo, service=canteen, day=MONDAY, actor=staff, source="staff", now=late,
                                   override=True)
    change = booking.changes.get()
    assert (change.actor, change.source, change.override) == (staff, "staff", True)
    # And the cancellation deadline binds parents the same way
    with pytest.raises(DeadlinePassed):
        services.booking_unset(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal",
                               now=late)


def test_a_separate_cancellation_deadline(family, canteen, at):
    guardian, theo = family.guardian, family.child
    enrol(theo, canteen, YEAR)
    # Given cancellations close the day before at 18:00 while bookings close the same day at 08:30
    canteen.cancellation_mode = "days_before"
    canteen.cancellation_days = 1
    canteen.cancellation_time = dt.time(18, 0)
    canteen.save()
    services.booking_set(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal",
                         now=at(2026, 11, 29, 19))
    with pytest.raises(DeadlinePassed):
        services.booking_unset(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal",
                               now=at(2026, 11, 29, 19))


def test_not_enrolled_and_closed_days_are_refused(family, canteen, at):
    guardian, (theo, anna) = family.guardian, family.children
    enrol(theo, canteen, YEAR)
    now = at(2026, 11, 27, 10)
    with pytest.raises(NotEnrolled):
        services.booking_set(child=anna, service=canteen, day=MONDAY, actor=guardian.user, source="portal", now=now)
    # Wednesday is not a canteen day, and a strike closes Thursday
    with pytest.raises(ClosedDay):
        services.booking_set(child=theo, service=canteen, day=dt.date(2026, 12, 2), actor=guardian.user,
                             source="portal", now=now)
    ClosureDay.objects.create(date=THURSDAY, reason="Grève")
    with pytest.raises(ClosedDay) as error:
        services.booking_set(child=theo, service=canteen, day=THURSDAY, actor=guardian.user, source="portal", now=now)
    assert error.value.code == "closed_day"
    assert "Grève" in error.value.message
    assert not Booking.objects.exists()


def test_capacity_is_never_exceeded(family, canteen, at):
    guardian, (theo, anna) = family.guardian, family.children
    canteen.capacity = 1
    canteen.save()
    enrol(theo, canteen, YEAR)
    enrol(anna, canteen, YEAR)
    now = at(2026, 11, 27, 10)
    services.booking_set(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal", now=now)
    with pytest.raises(ServiceFull) as error:
        services.booking_set(child=anna, service=canteen, day=MONDAY, actor=guardian.user, source="portal", now=now)
    assert error.value.code == "service_full"
    # A cancellation frees the place
    services.booking_unset(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal", now=now)
    services.booking_set(child=anna, service=canteen, day=MONDAY, actor=guardian.user, source="portal", now=now)


def test_an_invoiced_booking_is_locked_even_for_staff(family, canteen, staff, at):
    guardian, theo = family.guardian, family.child
    enrol(theo, canteen, YEAR)
    booking = services.booking_set(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal",
                                   now=at(2026, 11, 27, 10))
    Booking.objects.filter(pk=booking.pk).update(invoiced=True)
    for actor, override in ((guardian.user, False), (staff, True)):
        with pytest.raises(BookingInvoiced) as error:
            services.booking_unset(child=theo, service=canteen, day=MONDAY, actor=actor, source="portal",
                                   now=at(2026, 11, 27, 10), override=override)
        assert error.value.code == "invoiced"
    booking.refresh_from_db()
    assert booking.is_booked
    with pytest.raises(BookingInvoiced):
        services.attendance_mark(booking=booking, attendance="absent", actor=staff)


def test_bulk_add_keeps_existing_bookings_and_replace_cancels_the_others_but_never_invoiced_ones(family, canteen, at):
    guardian, theo = family.guardian, family.child
    enrol(theo, canteen, YEAR)
    now = at(2026, 11, 27, 10)
    # Given Théo is booked on Tuesday 1 and Friday 4 December, and Friday 11 is already invoiced
    for day in (dt.date(2026, 12, 1), dt.date(2026, 12, 4), dt.date(2026, 12, 11)):
        services.booking_set(child=theo, service=canteen, day=day, actor=guardian.user, source="portal", now=now)
    Booking.objects.filter(date=dt.date(2026, 12, 11)).update(invoiced=True)
    start, end = dt.date(2026, 11, 30), dt.date(2026, 12, 11)

    # When the parent previews "Mondays and Thursdays", adding
    add = services.bookings_bulk_preview(service=canteen, weekdays_by_child={theo: [0, 3]}, start=start, end=end,
                                         action="add", now=now)
    # Then 4 days would be created and nothing cancelled
    assert sorted(d for _c, d in add.to_create) == [dt.date(2026, 11, 30), dt.date(2026, 12, 3),
                                                     dt.date(2026, 12, 7), dt.date(2026, 12, 10)]
    assert add.to_cancel == []
    assert Booking.objects.filter(status="booked").count() == 3  # a preview writes nothing

    # When they replace instead
    plan = services.bookings_bulk_apply(service=canteen, weekdays_by_child={theo: [0, 3]}, start=start, end=end,
                                        action="replace", actor=guardian.user, now=now)
    # Then Tue 1 and Fri 4 are cancelled, the invoiced Fri 11 is skipped and untouched
    assert sorted(d for _c, d in plan.to_cancel) == [dt.date(2026, 12, 1), dt.date(2026, 12, 4)]
    assert [(d, code) for _c, d, code in plan.skipped] == [(dt.date(2026, 12, 11), "invoiced")]
    booked = sorted(Booking.objects.filter(status="booked").values_list("date", flat=True))
    assert booked == [dt.date(2026, 11, 30), dt.date(2026, 12, 3), dt.date(2026, 12, 7), dt.date(2026, 12, 10),
                      dt.date(2026, 12, 11)]
    assert BookingChange.objects.filter(source="bulk", action="booked").count() == 4
    assert BookingChange.objects.filter(source="bulk", action="cancelled").count() == 2


def test_bulk_skips_closed_days_past_deadlines_full_days_and_follows_the_criterion(family, canteen, at):
    guardian, (theo, anna) = family.guardian, family.children
    david = ChildFactory(household=guardian.household, first_name="David")
    enrol(theo, canteen, YEAR)
    enrol(anna, canteen, YEAR)
    canteen.capacity = 1
    canteen.save()
    ClosureDay.objects.create(date=dt.date(2026, 12, 7), reason="Pont")
    now = at(2026, 11, 30, 9)  # Monday 30 is past its 08:30 deadline
    plan = services.bookings_bulk_apply(
        service=canteen, weekdays_by_child={theo: [0], anna: [0], david: [0]},
        start=dt.date(2026, 11, 30), end=dt.date(2026, 12, 21), action="add", criterion="even_weeks",
        actor=guardian.user, now=now)
    # Then only even ISO weeks count: 50 (Mon 7, closed) and 52 (Mon 21); with one place on the 21st,
    # Théo gets it, Anna finds it full and David is not enrolled
    created = sorted((c.first_name, d) for c, d in plan.to_create)
    assert created == [("Théo", dt.date(2026, 12, 21))]
    reasons = sorted((c.first_name, d, code) for c, d, code in plan.skipped)
    assert reasons == [
        ("Anna", dt.date(2026, 12, 7), "closed_day"), ("Anna", dt.date(2026, 12, 21), "service_full"),
        ("David", dt.date(2026, 12, 7), "closed_day"), ("David", dt.date(2026, 12, 21), "not_enrolled"),
        ("Théo", dt.date(2026, 12, 7), "closed_day"),
    ]
    odd = services.bookings_bulk_preview(service=canteen, weekdays_by_child={anna: [0]},
                                         start=dt.date(2026, 11, 30), end=dt.date(2026, 12, 21),
                                         criterion="odd_weeks", now=now)
    assert sorted((d, code) for _c, d, code in odd.skipped) == [(dt.date(2026, 11, 30), "deadline_passed")]
    assert [d for _c, d in odd.to_create] == [dt.date(2026, 12, 14)]
    school = services.bookings_bulk_preview(service=canteen, weekdays_by_child={anna: [0]},
                                            start=dt.date(2026, 12, 14), end=dt.date(2027, 1, 8),
                                            criterion="school_weeks", now=now)
    # Christmas holidays (zone B) run from 19 December to 3 January
    assert [d for _c, d in school.to_create] == [dt.date(2026, 12, 14), dt.date(2027, 1, 4)]
    holidays = services.bookings_bulk_preview(service=canteen, weekdays_by_child={anna: [0]},
                                              start=dt.date(2026, 12, 14), end=dt.date(2027, 1, 8),
                                              criterion="holidays", now=now)
    assert [d for _c, d in holidays.to_create] == [dt.date(2026, 12, 28)]  # 21 is full


def test_staff_record_attendance_and_a_walk_in(family, canteen, staff, at):
    guardian, (theo, anna) = family.guardian, family.children
    enrol(theo, canteen, YEAR)
    booking = services.booking_set(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal",
                                   now=at(2026, 11, 27, 10))
    services.attendance_mark(booking=booking, attendance="justified_absence", actor=staff)
    booking.refresh_from_db()
    assert booking.attendance == "justified_absence"
    walk_in = services.attendance_add_walk_in(child=anna, service=canteen, day=MONDAY, actor=staff)
    assert (walk_in.status, walk_in.attendance, walk_in.unbooked_attendance) == ("booked", "present", True)
    assert walk_in.changes.get().action == "walk_in"


def test_booking_a_day_already_booked_changes_nothing_even_once_it_is_closed_or_late(family, canteen, at):
    guardian, theo = family.guardian, family.child
    enrol(theo, canteen, YEAR)
    booking = services.booking_set(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal",
                                   now=at(2026, 11, 27, 10))
    # Given the day has since been closed by a strike, and its deadline has passed
    ClosureDay.objects.create(date=MONDAY, reason="Grève")
    # When the parent books it again (a retried request), as the bulk plan counts it "unchanged"
    again = services.booking_set(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="api",
                                 now=at(2026, 11, 30, 9))
    # Then the booking stands, and nothing new is recorded
    assert again.pk == booking.pk and again.is_booked
    assert booking.changes.count() == 1


def test_an_inactive_service_is_refused_by_the_bulk_plan_as_by_a_single_booking(family, canteen, at):
    guardian, theo = family.guardian, family.child
    enrol(theo, canteen, YEAR)
    canteen.is_active = False
    canteen.save()
    now = at(2026, 11, 27, 10)
    with pytest.raises(ClosedDay):
        services.booking_set(child=theo, service=canteen, day=MONDAY, actor=guardian.user, source="portal", now=now)
    plan = services.bookings_bulk_apply(service=canteen, weekdays_by_child={theo: [0, 3]}, start=MONDAY,
                                        end=THURSDAY, actor=guardian.user, now=now)
    assert [(d, code) for _c, d, code in plan.skipped] == [(MONDAY, "closed_day"), (THURSDAY, "closed_day")]
    assert not Booking.objects.exists()


def test_one_week_in_two_alternates_strictly_across_iso_week_53(family, canteen, at):
    theo = family.child
    enrol(theo, canteen, YEAR)
    now = at(2026, 12, 1, 10)
    # Given a parent in alternating custody books Mondays, one week in two, from Monday 28 December 2026
    # (ISO week 53, followed by week 1 of 2027)
    plan = services.bookings_bulk_preview(service=canteen, weekdays_by_child={theo: [0]},
                                          start=dt.date(2026, 12, 28), end=dt.date(2027, 1, 29),
                                          criterion="alternate_weeks", now=now)
    # Then the weeks alternate from the first one, never two in a row
    assert [d for _c, d in plan.to_create] == [dt.date(2026, 12, 28), dt.date(2027, 1, 11), dt.date(2027, 1, 25)]
    assert services.criterion_label(criterion="alternate_weeks", start=dt.date(2026, 12, 30)) == (
        "Une semaine sur deux, à partir de la semaine du 28/12/2026")


@pytest.mark.parametrize(("old_criterion", "mondays"), [
    ("odd_weeks", [dt.date(2026, 12, 28), dt.date(2027, 1, 11)]),
    ("even_weeks", [dt.date(2027, 1, 4), dt.date(2027, 1, 18)]),
])
def test_the_former_even_and_odd_weeks_are_kept_as_alternations(family, canteen, at, old_criterion, mondays):
    theo = family.child
    enrol(theo, canteen, YEAR)
    # Given an API client still sending the former criteria across the turn of 2026 (53 weeks)
    plan = services.bookings_bulk_preview(service=canteen, weekdays_by_child={theo: [0]},
                                          start=dt.date(2026, 12, 28), end=dt.date(2027, 1, 22),
                                          criterion=old_criterion, now=at(2026, 12, 1, 10))
    # Then "impaires" no longer books W53 and W01 back to back, nor "paires" leaves a three-week gap
    assert [d for _c, d in plan.to_create] == mondays
