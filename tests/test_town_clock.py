"""The town's clock: the town's day and time zone, in a request or a job, reset afterwards.

Overseas towns are the case that shows it: near midnight UTC, Cayenne (UTC-3) and Nouméa
(UTC+11) are not on the server's day (Europe/Paris), and a job that asked Django for
"today" used to get the server's.
"""

import datetime as dt
import uuid

import dramatiq
import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.utils import timezone

from tenant_apps.core.clock import town_now, town_today
from tenants.current import NoTownActive, current_schema, current_town, require_town
from tenants.models import Town

UTC = dt.UTC


@pytest.fixture
def clock_actors():
    """A town job and a platform job that record the day, the zone and a rendered date they see."""
    seen: list[tuple[str, dt.date, dt.date, str, str]] = []

    def record_clock() -> None:
        rendered = Template('{% now "j F Y H:i" %}').render(Context())
        seen.append((current_schema(), town_today(), timezone.localdate(),
                     timezone.get_current_timezone_name(), rendered))

    suffix = uuid.uuid4().hex[:8]
    town_job = dramatiq.actor(record_clock, actor_name=f"record_clock_{suffix}")
    platform_job = dramatiq.actor(record_clock, actor_name=f"record_platform_clock_{suffix}", platform=True)
    return town_job, platform_job, seen


def move_town(town: Town, time_zone: str) -> None:
    Town.objects.filter(pk=town.pk).update(time_zone=time_zone)


def test_outside_a_town_there_is_no_town_and_the_clock_is_the_platforms(towns, db):
    # Given the public schema (the operators' console, a platform job)
    connection.set_schema_to_public()
    with time_machine.travel(dt.datetime(2026, 3, 2, 0, 30, tzinfo=UTC), tick=False):
        # Then there is no town, and asking for one is a programming error that says where it ran
        assert current_town() is None
        assert current_schema() == "public"
        with pytest.raises(NoTownActive, match="public"):
            require_town()
        # And "today" is the platform's (Paris) day
        assert town_today() == dt.date(2026, 3, 2)


def test_inside_a_town_the_clock_is_the_towns_even_with_no_zone_activated(towns, db):
    # Given Ville-A in Réunion (UTC+4), entered the way tests and scripts do (no zone activated)
    move_town(towns["ville-a"], "Indian/Reunion")
    town_a = Town.objects.get(pk=towns["ville-a"].pk)
    connection.set_tenant(town_a)
    # When it is 21:00 UTC on 1 March
    with time_machine.travel(dt.datetime(2026, 3, 1, 21, 0, tzinfo=UTC), tick=False):
        # Then the town's day is already 2 March and its time 01:00
        assert require_town() == town_a
        assert town_today() == dt.date(2026, 3, 2)
        assert town_now().strftime("%Y-%m-%d %H:%M %Z") == "2026-03-02 01:00 +04"


def test_a_job_for_cayenne_sees_cayennes_day_just_after_midnight_utc(towns, db, run_jobs, clock_actors):
    town_job, _platform_job, seen = clock_actors
    # Given Ville-A is in French Guiana
    town_a = towns["ville-a"]
    move_town(town_a, "America/Cayenne")

    # When a job sent from Ville-A runs at 00:30 UTC on 2 March (01:30 in Paris, still 1 March in Cayenne)
    with time_machine.travel(dt.datetime(2026, 3, 2, 0, 30, tzinfo=UTC), tick=False):
        connection.set_tenant(town_a)
        town_job.send()
        connection.set_schema_to_public()
        assert run_jobs() == {"processed": 1, "skipped": 0}

    # Then it saw Cayenne's day and hour, whichever way it asked
    day = dt.date(2026, 3, 1)
    assert seen == [(town_a.schema_name, day, day, "America/Cayenne", "1 mars 2026 21:30")]
    # And the worker is back on the server's zone afterwards
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_one_worker_thread_moves_from_town_to_town_and_back_to_the_platform(towns, db, run_jobs, clock_actors):
    town_job, platform_job, seen = clock_actors
    # Given Ville-A in New Caledonia and Ville-B in French Guiana
    town_a, town_b = towns["ville-a"], towns["ville-b"]
    move_town(town_a, "Pacific/Noumea")
    move_town(town_b, "America/Cayenne")

    # When, at 22:30 UTC on 1 March (23:30 in Paris), a job of each town then a platform job
    # run one after the other in the same thread
    with time_machine.travel(dt.datetime(2026, 3, 1, 22, 30, tzinfo=UTC), tick=False):
        for town in (town_a, town_b):
            connection.set_tenant(town)
            town_job.send()
        connection.set_schema_to_public()
        platform_job.send()
        assert run_jobs() == {"processed": 3, "skipped": 0}

    # Then Nouméa is already on 2 March, Cayenne still on 1 March, and the platform job
    # did not inherit the last town's zone
    assert seen == [
        (town_a.schema_name, dt.date(2026, 3, 2), dt.date(2026, 3, 2), "Pacific/Noumea", "2 mars 2026 09:30"),
        (town_b.schema_name, dt.date(2026, 3, 1), dt.date(2026, 3, 1), "America/Cayenne", "1 mars 2026 19:30"),
        ("public", dt.date(2026, 3, 1), dt.date(2026, 3, 1), "Europe/Paris", "1 mars 2026 23:30"),
    ]
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
