"""Reads of the staff dashboard (`/<ville>/gestion/`): what a gestionnaire checks on a Monday morning.

Every figure comes from the owning app's selectors or models, in the current town's schema.
`staff_dashboard` costs a constant number of queries whatever the town's size (about one per
figure, none per service, family or message): counts are aggregated in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tenant_apps.billing.models import Invoice, InvoiceRun
from tenant_apps.billing.selectors import UNPAID_STATUSES, recent_runs, transactions_needing_review
from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.calendar import TownCalendar
from tenant_apps.catalog.models import Service
from tenant_apps.catalog.selectors import active_services, schedule_for
from tenant_apps.documents.models import Document
from tenant_apps.families.fields import spec_for
from tenant_apps.families.models import Child, FieldChange, Guardian, Household
from tenant_apps.families.selectors import audit_trail
from tenant_apps.messaging.models import Message, TownService

RECENT_CHANGES = 5


# --- Aujourd'hui ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceToday:
    service: Service
    booked: int  # children with a booking for the day (walk-ins recorded by staff included)
    not_marked: int  # of those, not yet marked present or absent


@dataclass(frozen=True)
class ClosedService:
    service: Service
    reason: str


@dataclass(frozen=True)
class Today:
    day: dt.date
    town_closure: str | None  # the whole town is closed: public holiday or closure day for every service
    services: list[ServiceToday]
    closed_services: list[ClosedService]  # would run today but are closed (their own closure day)


def today_overview(day: dt.date) -> Today:
    """The active services running on `day`, with their booked children (3 to 5 queries)."""
    services = list(active_services())
    schedule = schedule_for(services, day, day)
    town_closure = _town_closure(schedule.calendar, day)
    running, closed = [], []
    for service in services:
        why = schedule.why_not_running(service, day)
        if why is None:
            running.append(service)
        elif why[0] == "closed" and not town_closure:
            closed.append(ClosedService(service, why[1]))
    counts: dict[int, Mapping[str, Any]] = {
        row["service_id"]: row
        for row in Booking.objects.filter(date=day, status=Booking.Status.BOOKED, service__in=running)
        .values("service_id")
        .annotate(booked=Count("id"), not_marked=Count("id", filter=Q(attendance=Booking.Attendance.UNKNOWN)))
    } if running else {}
    rows = [
        ServiceToday(service, counts.get(service.pk, {}).get("booked", 0),
                     counts.get(service.pk, {}).get("not_marked", 0))
        for service in running
    ]
    return Today(day=day, town_closure=town_closure, services=rows, closed_services=closed)


def _town_closure(calendar: TownCalendar, day: dt.date) -> str | None:
    if holiday := calendar.public_holiday(day):
        return _("Jour férié : %(name)s") % {"name": holiday}
    if reason := calendar.closure(day):  # a closure day with no service: the whole town
        return _("Fermeture : %(reason)s") % {"reason": reason}
    return None


# --- Messagerie -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceInbox:
    service: TownService
    unread_conversations: int


@dataclass(frozen=True)
class Inbox:
    services: list[ServiceInbox]

    @property
    def unread_conversations(self) -> int:
        return sum(row.unread_conversations for row in self.services)


def inbox_overview() -> Inbox:
    """Per town service, the conversations holding a family message no gestionnaire has read (one query).

    Services closed to new messages are listed only while they still hold unread conversations.
    """
    unread = Q(conversations__messages__side=Message.Side.FAMILY, conversations__messages__read_at__isnull=True)
    services = (
        TownService.objects.annotate(unread_conversations=Count("conversations", filter=unread, distinct=True))
        .filter(Q(is_active=True) | Q(unread_conversations__gt=0))
        .order_by("position", "name")
    )
    return Inbox([ServiceInbox(service, service.unread_conversations) for service in services])


# --- Facturation ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Billing:
    last_run: InvoiceRun | None
    unpaid_count: int
    unpaid_amount: Decimal  # what is left to pay on them
    payments_to_check: int


def billing_overview() -> Billing:
    """The last invoicing run, the invoices with something left to pay, the payments to check (3 queries)."""
    remaining = ExpressionWrapper(F("total") - F("amount_paid"), output_field=DecimalField(max_digits=12, decimal_places=2))
    unpaid = Invoice.objects.filter(status__in=UNPAID_STATUSES, amount_paid__lt=F("total")).aggregate(
        count=Count("id"), amount=Coalesce(Sum(remaining), Decimal("0.00")),
    )
    return Billing(
        last_run=recent_runs(limit=1).first(),
        unpaid_count=unpaid["count"],
        unpaid_amount=unpaid["amount"],
        payments_to_check=transactions_needing_review().count(),
    )


# --- Familles -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecentChange:
    change: FieldChange
    field_label: str


@dataclass(frozen=True)
class Families:
    households: int
    children: int
    guardians_without_password: int  # an account exists, its password not created yet
    guardians_without_account: int  # no account at all (no e-mail known, or not invited)
    recent_changes: list[RecentChange]


def families_overview() -> Families:
    """Numbers of households, children and guardians who cannot sign in yet; the last parents' edits (4 queries)."""
    guardians = Guardian.objects.aggregate(
        without_password=Count("id", filter=Q(user__isnull=False, user__password__startswith="!")),
        without_account=Count("id", filter=Q(user__isnull=True)),
    )
    changes = [
        RecentChange(change, _field_label(change.field_key)) for change in audit_trail()[:RECENT_CHANGES]
    ]
    return Families(
        households=Household.objects.count(),
        children=Child.objects.count(),
        guardians_without_password=guardians["without_password"],
        guardians_without_account=guardians["without_account"],
        recent_changes=changes,
    )


def _field_label(key: str) -> str:
    spec = spec_for(key)
    return str(spec.label) if spec else key


# --- Documents ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Documents:
    published: int  # visible to families today
    scheduled: int  # to be published later


def documents_overview(day: dt.date) -> Documents:
    """Documents online on `day`, and those waiting for their publication date (one query)."""
    online = Q(published_on__lte=day) & (Q(unpublished_on__isnull=True) | Q(unpublished_on__gte=day))
    counts = Document.objects.aggregate(
        published=Count("id", filter=online), scheduled=Count("id", filter=Q(published_on__gt=day)),
    )
    return Documents(published=counts["published"], scheduled=counts["scheduled"])


# --- The whole dashboard ----------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffDashboard:
    today: Today
    inbox: Inbox
    billing: Billing
    families: Families
    documents: Documents


def staff_dashboard(day: dt.date) -> StaffDashboard:
    """Everything the staff home shows, for the town's calendar `day`."""
    return StaffDashboard(
        today=today_overview(day),
        inbox=inbox_overview(),
        billing=billing_overview(),
        families=families_overview(),
        documents=documents_overview(day),
    )
