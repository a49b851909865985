"""The iCalendar document of one household: its bookings, and the days the services do not run.

One all-day event per booking ("Repas Enfant – Théo"), per closure day that concerns a service
the children are enrolled in (or the whole town), per public holiday, and one per school holiday
period. Built with the `icalendar` package; stable UIDs so calendar apps update events in place.
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.calendar import TownCalendar
from tenant_apps.catalog.models import ClosureDay, Enrolment
from tenant_apps.core.clock import town_today
from tenant_apps.families.models import Household
from tenants.current import require_town

PAST = dt.timedelta(days=62)  # about two months back: what a parent may still look up
FUTURE = dt.timedelta(days=366)
ONE_DAY = dt.timedelta(days=1)


def _all_day(uid: str, summary: str, first: dt.date, last: dt.date, stamp: dt.datetime,
             category: str, description: str = "") -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", first)
    event.add("dtend", last + ONE_DAY)  # DTEND of an all-day event is exclusive
    event.add("dtstamp", stamp)
    event.add("transp", "TRANSPARENT")
    event.add("categories", [category])
    if description:
        event.add("description", description)
    return event


def household_calendar(household: Household) -> bytes:
    town = require_town()
    today = town_today()
    start, end = today - PAST, today + FUTURE
    stamp = timezone.now()
    host = f"{town.slug}.portail-famille"

    calendar = Calendar()
    calendar.add("prodid", "-//Portail Famille//Agenda des familles//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Réservations %(household)s – %(town)s") % {
        "household": household.name, "town": town.name})
    calendar.add("x-wr-timezone", str(town.time_zone or "Europe/Paris"))
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")

    bookings = (Booking.objects.filter(child__household=household, status=Booking.Status.BOOKED,
                                       date__range=(start, end))
                .select_related("child", "service").order_by("date", "service__position", "child__first_name"))
    for booking in bookings:
        summary = _("%(service)s – %(child)s") % {"service": booking.service.name, "child": booking.child.first_name}
        calendar.add_component(_all_day(f"booking-{booking.pk}@{host}", summary, booking.date, booking.date, stamp,
                                        _("Réservation")))

    services = set(Enrolment.objects.filter(child__household=household).values_list("service_id", flat=True))
    closures = (ClosureDay.objects.filter(Q(service__isnull=True) | Q(service_id__in=services),
                                          date__range=(start, end)).select_related("service").order_by("date"))
    for closure in closures:
        what = closure.service.name if closure.service else _("Toutes les prestations")
        summary = _("Fermeture (%(what)s) : %(reason)s") % {"what": what, "reason": closure.reason}
        calendar.add_component(_all_day(f"closure-{closure.pk}@{host}", summary, closure.date, closure.date, stamp,
                                        _("Fermeture")))

    town_calendar = TownCalendar.for_range(start, end)
    period: tuple[str, dt.date] | None = None
    day = start
    while day <= end + ONE_DAY:
        holiday = town_calendar.public_holiday(day) if day <= end else None
        if holiday:
            calendar.add_component(_all_day(f"holiday-{day:%Y%m%d}@{host}", holiday, day, day, stamp,
                                            _("Jour férié")))
        school = town_calendar.school_holiday(day) if day <= end else None
        if period and school != period[0]:
            name, first = period
            calendar.add_component(_all_day(f"school-{first:%Y%m%d}@{host}", name, first, day - ONE_DAY, stamp,
                                            _("Vacances scolaires")))
            period = None
        if school and period is None:
            period = (school, day)
        day += ONE_DAY
    return calendar.to_ical()
