"""Reads of the home page: the household's dashboard.

`dashboard_for` costs a constant number of queries whatever the household's size: one per
part (children, recent documents, unread messages, unpaid invoices, today's bookings),
none per child. The invoices and today's bookings parts come from the billing and bookings
apps' own selectors, each called from one small function below.
"""

import datetime
from dataclasses import dataclass, field

from tenant_apps.billing.selectors import unpaid_invoices
from tenant_apps.bookings.selectors import bookings_of_day as booked_on
from tenant_apps.documents.selectors import recent_documents_of
from tenant_apps.families.models import Child, Household
from tenant_apps.families.selectors import children_of
from tenant_apps.messaging.selectors import unread_count_of


@dataclass(frozen=True)
class ChildBookings:
    child: Child
    services: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Dashboard:
    today: datetime.date
    recent_documents: int
    unread_messages: int
    children: list[Child]
    unpaid_invoices: int | None
    todays_bookings: list[ChildBookings] | None


def unpaid_invoices_count(household: Household) -> int | None:
    """Number of invoices with something left to pay (billing's `unpaid_invoices`)."""
    return unpaid_invoices(household).count()


def bookings_of_day(household: Household, day: datetime.date) -> list[ChildBookings] | None:
    """The day's booked services, grouped per child in the order bookings gives them (one query)."""
    rows: dict[int, ChildBookings] = {}
    for booking in booked_on(household, day):
        row = rows.setdefault(booking.child_id, ChildBookings(child=booking.child))
        row.services.append(booking.service.name)
    return list(rows.values())


def dashboard_for(household: Household, today: datetime.date) -> Dashboard:
    children = list(children_of(household))
    return Dashboard(
        today=today,
        recent_documents=recent_documents_of(household, today).count(),
        unread_messages=unread_count_of(household),
        children=children,
        unpaid_invoices=unpaid_invoices_count(household),
        todays_bookings=bookings_of_day(household, today),
    )
