"""What the parents' busiest pages cost in SQL (issue 13, target 4).

A family of three children enrolled in seven services opens its week grid: ten statements at most,
everything included. It then books a whole school year through the "réservation en masse" wizard
(summary, then confirmation): each step's own statements stay within ten whatever the number of
children and days, besides what every signed-in request costs (the town's search_path, the session and
the user read, the session's last-seen write: target 2 of the issue, printed apart by `make bench`).
"""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.bookings.models import Booking
from tenant_apps.bookings.tests.factories import book
from tenant_apps.catalog.models import Service
from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
from tenant_apps.families.tests.factories import ChildFactory

YEAR = "2026-2027"
MONDAY = dt.date(2026, 11, 30)  # week 49
LIMIT = 10


@pytest.fixture(autouse=True)
def frozen(at):
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        yield


@pytest.fixture
def three_children(family):
    david = ChildFactory(household=family.household, first_name="David")
    return [*family.children, david]


REQUEST_PLUMBING = ("SET search_path", '"django_session"', 'FROM "accounts_user"')


def _own(queries) -> list[str]:
    """The statements of the page itself: not the ones every signed-in request sends (the session's
    write comes with its own savepoint or transaction)."""
    sql = [q["sql"] for q in queries.captured_queries]
    plumbing = {i for i, text in enumerate(sql) if any(mark in text for mark in REQUEST_PLUMBING)}
    for i in [i for i in plumbing if sql[i].startswith("UPDATE")]:
        plumbing |= {i - 1, i + 1}
    return [text for i, text in enumerate(sql) if i not in plumbing]


def _statements(queries) -> str:
    return "\n".join(f"{i + 1:>2}. {q['sql'][:300]}" for i, q in enumerate(queries.captured_queries))


def test_the_week_grid_of_three_children_in_seven_services_costs_at_most_ten_statements(
    parent_client, three_children
):
    services = [ServiceFactory(name=f"Prestation {i}", position=i, weekdays=[0, 1, 2, 3, 4], capacity=30)
                for i in range(7)]
    for child in three_children:
        for service in services:
            enrol(child, service, YEAR)
            book(child, service, [MONDAY, MONDAY + dt.timedelta(days=2)])

    parent_client.get("/ville-a/reservations/?semaine=2026-W48")  # the town's address is cached from now on
    with CaptureQueriesContext(connection) as queries:
        response = parent_client.get("/ville-a/reservations/?semaine=2026-W49")

    content = response.content.decode()
    assert response.status_code == 200
    assert "ALAIN Théo" in content and "ALAIN Anna" in content and "ALAIN David" in content
    assert content.count('data-state="booked"') == 3 * 7 * 2
    assert len(queries) <= LIMIT, _statements(queries)


def test_booking_a_school_year_in_bulk_costs_at_most_ten_statements_of_its_own_per_step(parent_client, three_children):
    canteen = ServiceFactory(name="Repas Enfant", weekdays=[0, 1, 3, 4], calendar=Service.Calendar.SCHOOL_DAYS,
                             capacity=300)
    for child in three_children:
        enrol(child, canteen, YEAR)
    params = {"service": canteen.pk, "children": [c.pk for c in three_children],
              **{f"days_{c.pk}": [0, 1, 3, 4] for c in three_children},
              "start": "01/12/2026", "end": "02/07/2027", "action": "add", "criterion": "none"}
    url = "/ville-a/reservations/en-masse/"
    parent_client.get(url)  # the town's address is cached from now on

    with CaptureQueriesContext(connection) as preview_queries:
        summary = parent_client.post(url, {**params, "goto": "summary"})
    assert summary.context["step"] == "summary"
    planned = len(summary.context["plan"].to_create)
    assert planned > 3 * 80  # seven months of school, four days a week, for three children
    assert not Booking.objects.exists()

    with CaptureQueriesContext(connection) as confirm_queries:
        done = parent_client.post(url, {**params, "goto": "confirm"})
    assert done.status_code == 302
    assert Booking.objects.filter(status=Booking.Status.BOOKED).count() == planned

    assert len(_own(preview_queries)) <= LIMIT, _statements(preview_queries)
    assert len(_own(confirm_queries)) <= LIMIT, _statements(confirm_queries)
