"""Background jobs of bookings (run in the town's schema by the worker middleware)."""

import dramatiq
from django.utils.translation import gettext as _

from tenant_apps.accounts.emails import send_templated_mail
from tenant_apps.families.models import Guardian
from tenants.current import require_town
from tenants.urls import town_url

from .models import Booking


@dramatiq.actor(max_retries=3)
def send_closure_notice(household_id: int, booking_ids: list[int], reason: str) -> None:
    """Tell a family, in one e-mail to its guardians, which bookings a closure cancelled."""
    bookings = list(Booking.objects.filter(pk__in=booking_ids, child__household_id=household_id)
                    .select_related("child", "service").order_by("date", "child__first_name", "service__position"))
    guardians = Guardian.objects.filter(household_id=household_id).select_related("user").order_by("-is_payer", "pk")
    recipients = list(dict.fromkeys(
        address for guardian in guardians
        if (address := guardian.email or (guardian.user.email if guardian.user else ""))))
    if not bookings or not recipients:
        return
    town = require_town()
    send_templated_mail(
        to=recipients,
        subject=_("%(town)s – fermeture : réservations annulées") % {"town": town.name},
        template="bookings/email/closure_notice",
        context={"town": town, "bookings": bookings, "reason": reason,
                 "bookings_url": town_url(town, "bookings:week")},
    )
