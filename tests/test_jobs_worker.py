"""Background jobs run in the town they were sent from, through a real broker and a real worker."""

import logging
import threading
import uuid

import dramatiq
import pytest
from django.db import connection
from dramatiq import Worker

from tenants.current import current_schema
from tenants.jobs import SCHEMA_OPTION, TownContextMiddleware

pytestmark = pytest.mark.broker


@pytest.fixture
def real_broker(broker_url):
    if broker_url.startswith("amqp"):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        broker = RabbitmqBroker(url=broker_url, middleware=[])
    else:
        from dramatiq.brokers.redis import RedisBroker

        broker = RedisBroker(url=broker_url, middleware=[])
    broker.add_middleware(TownContextMiddleware())
    yield broker
    broker.close()


@pytest.fixture
def recording_actor(real_broker):
    """An actor that records the schema and the town profile it ran with."""
    from tenant_apps.core.models import TownProfile

    seen: list[tuple[str, str]] = []
    done = threading.Event()

    def record_town(expected: int):
        profile = TownProfile.current()
        seen.append((current_schema(), profile.display_name if profile else "(no town profile)"))
        if len(seen) >= expected:
            done.set()

    queue = f"test-{uuid.uuid4().hex[:8]}"
    actor = dramatiq.actor(record_town, broker=real_broker, queue_name=queue, actor_name=f"record_town_{queue}")
    yield actor, seen, done
    if hasattr(real_broker, "channel"):
        real_broker.channel.queue_delete(queue)


def test_one_actor_runs_in_each_town_it_was_sent_from(towns, live_db, real_broker, recording_actor):
    actor, seen, done = recording_actor
    town_a, town_b = towns["ville-a"], towns["ville-b"]

    # Given a message sent from each town
    for town in (town_a, town_b):
        connection.set_tenant(town)
        actor.send(2)
    connection.set_schema_to_public()

    # When a real worker consumes them
    worker = Worker(real_broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        assert done.wait(30), f"the worker processed only {seen}"
    finally:
        worker.stop()

    # Then each ran in its own town's schema, and the worker is back to public afterwards
    assert sorted(seen) == sorted([(town_a.schema_name, "Mairie de Ville-A"), (town_b.schema_name, "Mairie de Ville-B")])


def test_messages_without_a_known_town_are_refused_and_logged(towns, live_db, real_broker, recording_actor, caplog):
    actor, seen, done = recording_actor
    connection.set_tenant(towns["ville-a"])
    # A message with no schema, one with an unknown schema, one from the public schema, then a good one
    actor.send_with_options(args=(1,), **{SCHEMA_OPTION: None})
    actor.send_with_options(args=(1,), **{SCHEMA_OPTION: "town_doesnotexist"})
    actor.send_with_options(args=(1,), **{SCHEMA_OPTION: "public"})
    actor.send(1)
    connection.set_schema_to_public()

    worker = Worker(real_broker, worker_threads=1, worker_timeout=100)
    with caplog.at_level(logging.ERROR, logger="tenants.jobs"):
        worker.start()
        try:
            assert done.wait(30)
            real_broker.join(actor.queue_name, timeout=30_000)
        finally:
            worker.stop()

    assert seen == [(towns["ville-a"].schema_name, "Mairie de Ville-A")]
    refusals = [r.getMessage() for r in caplog.records if "Refused message" in r.getMessage()]
    assert len(refusals) == 3
    assert any("no town schema" in m for m in refusals)
    assert any("town_doesnotexist" in m for m in refusals)


def test_a_message_for_an_archived_town_is_refused(towns, db, run_jobs, caplog):
    from provisioning.services import town_archive
    from tenant_apps.accounts.tasks import send_password_link

    town_archive(slug="ville-b")
    send_password_link.send_with_options(args=("x@example.fr", "reset"), **{SCHEMA_OPTION: towns["ville-b"].schema_name})
    with caplog.at_level(logging.ERROR, logger="tenants.jobs"):
        assert run_jobs() == {"processed": 0, "skipped": 1}
    assert "archived" in caplog.text


def test_the_nightly_housekeeping_fans_out_to_every_active_town(towns, db, run_jobs):
    from tenants.tasks import nightly_housekeeping

    assert nightly_housekeeping.fn() == 2
    assert run_jobs() == {"processed": 2, "skipped": 0}
