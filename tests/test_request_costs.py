"""What the busiest requests cost the database (issue 13, target 2): counted, never timed.

The counts leave out `SAVEPOINT`/`RELEASE SAVEPOINT`: a test runs inside a transaction, so the
view's own transaction becomes a savepoint here, where in production it is the connection's
`BEGIN`/`COMMIT`, which Django does not log either.
"""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from provisioning.services import town_archive, town_rename
from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
from tenants import routing

MAX_CLICK_STATEMENTS = 8


def statements(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


@pytest.fixture
def lunch(town):
    """A canteen with a capacity (its places are counted on every booking), Mon/Tue/Thu/Fri."""
    return ServiceFactory(name="Repas Enfant", weekdays=[0, 1, 3, 4], deadline_time=dt.time(8, 30), capacity=30)


def click(client, child, service, day: dt.date, action: str):
    return client.post("/ville-a/reservations/case/",
                       {"child": child.pk, "service": service.pk, "date": day.isoformat(), "action": action},
                       HTTP_HX_REQUEST="true")


def test_a_booking_click_costs_at_most_eight_statements(parent_client, family, lunch, at):
    enrol(family.child, lunch, "2026-2027")
    tuesday = dt.date(2026, 12, 1)
    with time_machine.travel(at(2026, 11, 27, 10), tick=False):
        assert click(parent_client, family.child, lunch, dt.date(2026, 11, 30), "set").status_code == 200

        # Booking, then cancelling, one cell
        for action, state in (("set", "booked"), ("unset", "available")):
            with CaptureQueriesContext(connection) as queries:
                response = click(parent_client, family.child, lunch, tuesday, action)
            assert response.status_code == 200
            assert f'data-state="{state}"' in response.content.decode()
            sent = statements(queries)
            assert len(sent) <= MAX_CLICK_STATEMENTS, "\n".join(sent)
            # The answer is the cell, built from what the write loaded: no week grid, no town profile
            assert not any("portal_townprofile" in sql or ("bookings_booking" in sql and "BETWEEN" in sql)
                           for sql in sent), "\n".join(sent)
            # The town's search_path was sent once on this connection, not on every request
            assert not any(sql.startswith("SET search_path") for sql in sent)


def test_a_refused_click_shows_why_in_the_cell_without_writing(parent_client, family, lunch, at):
    enrol(family.child, lunch, "2026-2027")
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):  # Tuesday 09:00, the 08:30 deadline passed
        response = click(parent_client, family.child, lunch, dt.date(2026, 12, 1), "set")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="locked"' in content
    assert ": la date butoir est dépassée pour ce jour." in content
    assert not Booking.objects.filter(child=family.child).exists()


def test_the_session_is_touched_at_most_once_a_minute(parent_client, family, at):
    def session_writes(moment) -> int:
        with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as queries:
            assert parent_client.get("/ville-a/").status_code == 200
        return sum(1 for sql in statements(queries) if sql.startswith("UPDATE \"django_session\""))

    start = at(2026, 11, 27, 10)
    assert session_writes(start) == 1  # first request: the last-seen time is written
    assert session_writes(start + dt.timedelta(seconds=20)) == 0
    assert session_writes(start + dt.timedelta(seconds=59)) == 0
    assert session_writes(start + dt.timedelta(seconds=61)) == 1
    assert session_writes(start + dt.timedelta(seconds=90)) == 0


def test_the_in_process_town_cache_is_forgotten_on_rename_and_archive(town_a, town_b, monkeypatch):
    # Both towns were just looked up: this process remembers them
    assert routing.resolve_slug("ville-a").town == town_a
    assert routing.resolve_slug("ville-b").town == town_b

    # When this process renames one and archives the other, its very next lookups see it
    town_rename(slug="ville-a", new_slug="ville-a-22")
    town_archive(slug="ville-b")
    assert routing.resolve_slug("ville-a").redirect_to == "ville-a-22"
    assert routing.resolve_slug("ville-b").town.is_active is False


def test_a_change_made_by_another_process_is_seen_within_the_stated_bound(town_a, monkeypatch):
    from tenants.models import Town

    now = [1000.0]
    monkeypatch.setattr(routing, "_clock", lambda: now[0])
    assert routing.resolve_slug("ville-a").town.name == "Mairie de Ville-A"
    # Another process renames the town's display name and forgets the shared cache entry only
    Town.objects.filter(pk=town_a.pk).update(name="Mairie de Ville-A (nouveau nom)")
    routing.cache.delete(routing._cache_key("ville-a"))

    now[0] += routing.LOCAL_SECONDS - 0.1
    assert routing.resolve_slug("ville-a").town.name == "Mairie de Ville-A"  # still the local entry
    now[0] += 0.2
    assert routing.resolve_slug("ville-a").town.name == "Mairie de Ville-A (nouveau nom)"
