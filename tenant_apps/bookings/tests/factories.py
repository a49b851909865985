"""Factories of bookings: one booking, many days at once, the school days of a period."""

import datetime as dt

import factory

from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.tests.factories import ServiceFactory
from tenant_apps.families.tests.factories import ChildFactory


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    child = factory.SubFactory(ChildFactory)
    service = factory.SubFactory(ServiceFactory)
    date = dt.date(2019, 4, 1)


def school_days(start: dt.date, end: dt.date, weekdays=(0, 1, 3, 4)) -> list[dt.date]:
    """The days from start to end (inclusive) that fall on the given weekdays (Monday = 0)."""
    days, day = [], start
    while day <= end:
        if day.weekday() in weekdays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def book(child, service, days, **fields) -> list[Booking]:
    """Bookings written directly (no rules): the state a test starts from."""
    return Booking.objects.bulk_create([Booking(child=child, service=service, date=d, **fields) for d in days])
