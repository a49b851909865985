"""Reads of the home page: the household's dashboard.

`dashboard_for` costs a constant number of queries whatever the household's size: one per
counter, none per child. The invoices and today's bookings parts come from the billing and
bookings apps; each is isolated in one small function below and answers None ("not
available") while that app does not provide its selector — the page then shows a plain
link without a count, never a made-up number.
"""

import datetime
from dataclasses import dataclass, field

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
    """Number of unpaid invoices; None while the billing app provides no `unpaid_invoices` selector."""
    return None


def bookings_of_day(household: Household, day: datetime.date, children: list[Child]) -> list[ChildBookings] | None:
    """The day's bookings per child and service; None while the bookings app provides no selector."""
    return None


def dashboard_for(household: Household, today: datetime.date) -> Dashboard:
    children = list(children_of(household))
    return Dashboard(
        today=today,
        recent_documents=recent_documents_of(household, today).count(),
        unread_messages=unread_count_of(household),
        children=children,
        unpaid_invoices=unpaid_invoices_count(household),
        todays_bookings=bookings_of_day(household, today, children),
    )
