"""Logs name the town and the request; metrics count requests for the operators' Prometheus only."""

import copy
import datetime as dt
import io
import json
import logging
import logging.config
import uuid

import dramatiq
import pytest
from django.db import connection
from django.test import Client
from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker
from prometheus_client.parser import text_string_to_metric_families

from config.settings.base import LOGGING
from tenants.jobs import TownContextMiddleware
from tenants.observability import JobContextMiddleware, request_id


@pytest.fixture
def json_logs():
    """The production log handler (settings' context filter and JSON formatter), on a string buffer."""
    config = copy.deepcopy(LOGGING)  # the configurator consumes the dictionaries it reads
    configurator = logging.config.DictConfigurator(config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configurator.configure_formatter(config["formatters"]["json"]))
    handler.addFilter(configurator.configure_filter(config["filters"]["context"]))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(level)


def test_settings_wire_the_context_filter_on_the_console_handler():
    assert LOGGING["handlers"]["console"]["filters"] == ["context"]


def test_a_town_request_logs_under_the_towns_schema_and_the_proxys_request_id(town, client, json_logs):
    # When the proxy sends a request for a page the town does not have, with its request id
    response = client.get("/ville-a/page-inconnue/", HTTP_X_REQUEST_ID="proxy-4f2a")

    # Then the answer carries the same id, and every line written for it names the town and the id
    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-4f2a"
    lines = json_logs()
    not_found = next(line for line in lines if line["logger"] == "django.request")
    assert "Not Found" in not_found["message"]
    assert (not_found["schema"], not_found["request_id"], not_found["level"]) == (town.schema_name, "proxy-4f2a",
                                                                                   "WARNING")
    access = next(line for line in lines if line["logger"] == "portail.requests")
    assert (access["schema"], access["request_id"], access["status"]) == (town.schema_name, "proxy-4f2a", 404)
    assert dt.datetime.fromisoformat(access["time"]).utcoffset() == dt.timedelta(0)


def test_without_a_usable_request_id_each_request_gets_its_own(town, client, json_logs):
    first = client.get("/ville-a/connexion/")
    second = client.get("/ville-a/connexion/", HTTP_X_REQUEST_ID="pas un\tidentifiant")
    assert first.status_code == second.status_code == 200
    ids = {first["X-Request-ID"], second["X-Request-ID"]}
    assert len(ids) == 2 and "pas un\tidentifiant" not in ids
    # The access line names the view, never the path (it may hold a token)
    access = [line for line in json_logs() if line["logger"] == "portail.requests"]
    assert [line["request_id"] for line in access] == [first["X-Request-ID"], second["X-Request-ID"]]
    assert all("connexion" not in line["message"] for line in access)


def test_a_job_logs_under_its_towns_schema_and_the_request_that_sent_it(towns, live_db, json_logs):
    town_a = towns["ville-a"]
    broker = StubBroker(middleware=[])
    broker.add_middleware(TownContextMiddleware())
    broker.add_middleware(JobContextMiddleware())
    queue = f"test-{uuid.uuid4().hex[:8]}"

    def send_menu():
        logging.getLogger("tests.jobs").info("menu envoyé")

    actor = dramatiq.actor(send_menu, broker=broker, queue_name=queue, actor_name=f"send_menu_{queue}")

    # Given a job sent by a request of town A, and one sent by no request
    token = request_id.set("req-job-7")
    connection.set_tenant(town_a)
    try:
        sent_by_request = actor.send()
    finally:
        request_id.reset(token)
    on_its_own = actor.send()
    connection.set_schema_to_public()

    # When a worker runs them
    worker = Worker(broker, worker_timeout=50, worker_threads=1)
    worker.start()
    try:
        broker.join(queue, fail_fast=True)
        worker.join()
    finally:
        worker.stop()

    # Then the job's own line and its end line name town A's schema and the sending request
    lines = json_logs()
    menus = [line for line in lines if line["message"] == "menu envoyé"]
    ends = [line for line in lines if line["logger"] == "portail.jobs"]
    assert [(line["schema"], line["request_id"]) for line in menus] == [
        (town_a.schema_name, "req-job-7"), (town_a.schema_name, on_its_own.message_id)]
    assert [(line["schema"], line["request_id"]) for line in ends] == [
        (town_a.schema_name, "req-job-7"), (town_a.schema_name, on_its_own.message_id)]
    assert sent_by_request.message_id in ends[0]["message"] and "done" in ends[0]["message"]


def _requests_counted(body: str, view: str) -> float:
    for family in text_string_to_metric_families(body):
        if family.name == "portail_http_requests":
            return sum(sample.value for sample in family.samples
                       if sample.name == "portail_http_requests_total" and sample.labels["view"] == view
                       and sample.labels["status"] == "200")
    return 0.0


def test_metrics_count_a_page_view_for_the_bearer_of_the_token_only(town, client, settings):
    settings.METRICS_TOKEN = "jeton-de-supervision"
    scraper = Client(HTTP_AUTHORIZATION="Bearer jeton-de-supervision")
    before = scraper.get("/metrics")
    assert before.status_code == 200

    # When a parent opens the sign-in page
    page = client.get("/ville-a/connexion/")
    assert page.status_code == 200
    view = "accounts:login"

    # Then the scrape counts one more request of that view, answered 200
    after = scraper.get("/metrics")
    assert after["Content-Type"].startswith("text/plain")
    assert _requests_counted(after.content.decode(), view) == _requests_counted(before.content.decode(), view) + 1
    assert "portail_http_request_duration_seconds_bucket" in after.content.decode()

    # And nobody else reads it: no token, a wrong one, or the endpoint off when no token is set
    assert Client().get("/metrics").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer devine").get("/metrics").status_code == 401
    settings.METRICS_TOKEN = ""
    assert scraper.get("/metrics").status_code == 404


def test_healthz_still_names_the_database_the_broker_and_the_cache(db):
    answer = Client().get("/healthz").json()
    assert {"database", "broker", "cache"} <= answer.keys()


def test_dramatiqs_exporter_stays_inert_outside_a_worker_process():
    from dramatiq import Message

    from tenants.observability import JobMetrics

    # A web process or the test worker sends and runs messages without the exporter having booted
    metrics = JobMetrics()
    message = Message(queue_name="default", actor_name="send_menu", args=(), kwargs={},
                      options={"retries": 1})
    metrics.after_enqueue(None, message, 0)
    metrics.before_process_message(None, message)
    metrics.after_process_message(None, message)
    assert not hasattr(metrics, "total_messages")
