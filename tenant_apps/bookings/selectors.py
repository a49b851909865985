"""Reads of bookings, scoped to the caller (a household) or to a staff screen."""

import datetime as dt

from .models import Booking


def bookings_of_day(household, day: dt.date):
    """The booked bookings of the household's children on `day` (home dashboard)."""
    return (
        Booking.objects.filter(child__household=household, date=day, status=Booking.Status.BOOKED)
        .select_related("child", "service")
        .order_by("child__first_name", "service__position", "service__name")
    )
