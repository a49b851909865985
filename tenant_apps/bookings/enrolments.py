"""Ending a child's enrolment: refused once invoiced, otherwise its future bookings are cancelled.

It lives with the bookings because it writes them; the catalogue's enrolments never reach down here.
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext

from tenant_apps.catalog.models import Enrolment, school_year_bounds
from tenant_apps.catalog.services import require_staff
from tenant_apps.core.clock import town_today

from . import services as booking_services
from .errors import CancellationNotConfirmed, EnrolmentHasBookings
from .models import Booking, BookingChange


def enrolment_bookings(enrolment: Enrolment):
    """The child's bookings of the enrolment's service during its school year."""
    start, end = school_year_bounds(enrolment.school_year)
    return Booking.objects.filter(child_id=enrolment.child_id, service_id=enrolment.service_id,
                                  date__range=(start, end))


def enrolment_future_bookings(enrolment: Enrolment, *, today: dt.date):
    """The booked days after `today`: those ending the enrolment cancels, once staff confirm."""
    return enrolment_bookings(enrolment).filter(date__gt=today, status=Booking.Status.BOOKED)


@transaction.atomic
def enrolment_delete(*, enrolment: Enrolment, actor, cancel_future_bookings: bool = False,
                     today: dt.date | None = None) -> int:
    """End an enrolment. Returns the number of future bookings cancelled.

    Refused when a booking of that service and school year is already invoiced. Otherwise the bookings
    from tomorrow on must be cancelled, which staff confirm explicitly; they are cancelled through the
    bookings services (recorded with source "staff", deadline overridden). Past and today's bookings
    stay: the child was there and they will be invoiced.
    """
    require_staff(actor)
    enrolment = Enrolment.objects.select_for_update().select_related("child", "service").get(pk=enrolment.pk)
    bookings = enrolment_bookings(enrolment)
    if bookings.filter(invoiced=True).exists():
        raise EnrolmentHasBookings()
    today = today or town_today()
    _start, end = school_year_bounds(enrolment.school_year)
    first_day = max(today + dt.timedelta(days=1), _start)
    future = bookings.filter(date__gte=first_day, status=Booking.Status.BOOKED).count()
    if future and not cancel_future_bookings:
        raise CancellationNotConfirmed()
    cancelled = booking_services.bookings_cancel_between(
        child=enrolment.child, service=enrolment.service, start=first_day, end=end, actor=actor,
        source=BookingChange.Source.STAFF, override=True, detail=gettext("Désinscription"))
    enrolment.delete()
    return len(cancelled)
