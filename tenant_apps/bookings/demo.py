"""Demo data: a few bookings of the ALAIN children this week and next, as in the guide's grid
(Repas Enfant on Thursdays and Fridays, the Wednesday leisure centre), today's included."""

import datetime as dt
import logging

from tenant_apps.catalog.models import Service
from tenant_apps.catalog.selectors import schedule_for
from tenant_apps.core.clock import town_today
from tenant_apps.families.models import Child

from .models import Booking, BookingChange

logger = logging.getLogger(__name__)

PATTERN = {
    "Théo": {"Repas Enfant": [0, 1, 3, 4], "ALSH Mercredi matin": [2], "ALSH Mercredi après-midi": [2],
             "Accueil périscolaire soir": [1, 3]},
    "Anna": {"Repas Enfant": [3, 4], "ALSH Mercredi après-midi": [2], "Accueil périscolaire matin": [0]},
}


def load(town) -> None:
    children = {c.first_name: c for c in Child.objects.filter(household__name__iexact="ALAIN")}
    if not children:
        logger.warning("Demo: no ALAIN household, no bookings created")
        return
    services = {s.name: s for s in Service.objects.all()}
    today = town_today()
    monday = today - dt.timedelta(days=today.weekday())
    days = [monday + dt.timedelta(days=i) for i in range(14)]
    schedule = schedule_for(services.values(), days[0], days[-1], town=town)
    bookings = []
    for first_name, plan in PATTERN.items():
        child = children.get(first_name)
        if child is None:
            continue
        for service_name, weekdays in plan.items():
            service = services.get(service_name)
            if service is None or not child.enrolments.filter(service=service).exists():
                continue
            bookings += [Booking(child=child, service=service, date=day) for day in days
                         if day.weekday() in weekdays and schedule.runs_on(service, day)]
    created = Booking.objects.bulk_create(bookings)
    BookingChange.objects.bulk_create([
        BookingChange(booking=b, action=BookingChange.Action.BOOKED, source=BookingChange.Source.ADMIN,
                      detail="Données de démonstration") for b in created])
