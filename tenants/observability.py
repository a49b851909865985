"""Logs and metrics that say which town and which request: a request id, the schema, Prometheus.

- `RequestContextMiddleware` (first in MIDDLEWARE) keeps the proxy's `X-Request-ID` (or makes
  one), returns it in the response, writes one access line per request and counts the request
  by view and status for Prometheus.
- `ContextFilter`, on the log handlers, stamps every record with `schema` (the connection's, so
  the town's inside a town request or job) and `request_id`.
- `JobContextMiddleware` (dramatiq) carries the request id of the sender into its jobs (the
  message id when a job was not sent by a request) and writes one line per job.
- `metrics` is the scrape endpoint, `/metrics`, answering only with the `METRICS_TOKEN` bearer.
"""

from __future__ import annotations

import hmac
import logging
import os
import re
import threading
import time
import uuid
from contextvars import ContextVar
from typing import Any

import dramatiq
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from dramatiq.broker import MessageProxy
from dramatiq.middleware import Middleware
from dramatiq.middleware.prometheus import Prometheus
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_OPTION = "request_id"
# What a proxy's id may look like (a UUID, a hex string, Heroku's or nginx's); anything else is replaced.
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

access_logger = logging.getLogger("portail.requests")
job_logger = logging.getLogger("portail.jobs")

HTTP_REQUESTS = Counter(
    "portail_http_requests_total", "HTTP requests answered, by view, method and status.",
    ["view", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "portail_http_request_duration_seconds", "Time to answer an HTTP request, by view, method and status.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


_SERIES: dict[tuple[str, str, str], tuple[Any, Any]] = {}


def _series(view: str, method: str, status: str) -> tuple[Any, Any]:
    """The counter and histogram children of one (view, method, status), looked up once per process."""
    key = (view, method, status)
    series = _SERIES.get(key)
    if series is None:
        series = _SERIES[key] = (HTTP_REQUESTS.labels(*key), HTTP_LATENCY.labels(*key))
    return series


class ContextFilter(logging.Filter):
    """Adds `schema` and `request_id` to every record (a value passed in `extra` is kept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx answer with the request once the middleware are done (the town
        # already stepped out of): the request then says which town and which id.
        request = getattr(record, "request", None)
        town = getattr(request, "town", None)
        if not hasattr(record, "schema"):
            record.schema = town.schema_name if town is not None else getattr(connection, "schema_name", "-")
        if not getattr(record, "request_id", None):
            record.request_id = request_id.get() or getattr(request, "request_id", None) or "-"
        return True


def _incoming_id(value: str | None) -> str | None:
    return value if value and _REQUEST_ID_RE.fullmatch(value) else None


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name or "unnamed") if match is not None else "unresolved"


class RequestContextMiddleware:
    """The request id, the access line and the request metrics of every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = _incoming_id(request.headers.get(REQUEST_ID_HEADER)) or uuid.uuid4().hex
        token = request_id.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            view, status = _view_name(request), str(response.status_code)
            counter, latency = _series(view, request.method or "", status)
            counter.inc()
            latency.observe(elapsed)
            response[REQUEST_ID_HEADER] = rid
            if settings.ACCESS_LOG:
                town = getattr(request, "town", None)
                # The view's name, not the path: paths carry e-mail confirmation and password tokens.
                access_logger.info(
                    "%s %s %s %.1f ms", request.method, view, status, elapsed * 1000,
                    extra={"schema": town.schema_name if town is not None else "public", "view": view,
                           "status": response.status_code, "duration_ms": round(elapsed * 1000, 1)},
                )
            return response
        finally:
            request_id.reset(token)


def _registry() -> CollectorRegistry:
    """The process's metrics, or every web process's when PROMETHEUS_MULTIPROC_DIR is set (gunicorn)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus scrape endpoint: 404 unless METRICS_TOKEN is set, 401 without that bearer token."""
    expected = settings.METRICS_TOKEN
    if not expected:
        raise Http404
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


class JobContextMiddleware(Middleware):
    """Jobs log under the request id that sent them, and one line each when they end.

    Listed after `TownContextMiddleware`: the town is active when the job's line is written.
    """

    def __init__(self) -> None:
        self._running = threading.local()

    def before_enqueue(self, broker: dramatiq.Broker, message: dramatiq.Message, delay: int) -> None:
        rid = request_id.get()
        if rid and REQUEST_ID_OPTION not in message.options:
            message.options[REQUEST_ID_OPTION] = rid

    def before_process_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        token = request_id.set(message.options.get(REQUEST_ID_OPTION) or message.message_id)
        self._running.job = (token, time.perf_counter())

    def after_process_message(self, broker: dramatiq.Broker, message: MessageProxy, *, result: Any = None,
                              exception: BaseException | None = None) -> None:
        job = getattr(self._running, "job", None)
        if job is None:
            return
        token, started = job
        self._running.job = None
        try:
            job_logger.info(
                "job %s %s %s in %.1f ms", message.actor_name, message.message_id,
                "failed" if exception is not None else "done", (time.perf_counter() - started) * 1000,
                extra={"actor": message.actor_name, "message_id": message.message_id},
            )
        finally:
            request_id.reset(token)

    def after_skip_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        self.after_process_message(broker, message, exception=None)


class JobMetrics(Prometheus):
    """dramatiq's Prometheus middleware, inert outside a worker process (web processes, tests).

    The worker serves its metrics on its own port (`dramatiq_prom_host`, `dramatiq_prom_port`).
    """

    _booted = False

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        super().after_process_boot(broker)
        self._booted = True

    def after_nack(self, broker, message):
        if self._booted:
            super().after_nack(broker, message)

    def after_enqueue(self, broker, message, delay):
        if self._booted:
            super().after_enqueue(broker, message, delay)

    def before_delay_message(self, broker, message):
        if self._booted:
            super().before_delay_message(broker, message)

    def before_process_message(self, broker, message):
        if self._booted:
            super().before_process_message(broker, message)

    def after_process_message(self, broker, message, *, result=None, exception=None):
        if self._booted:
            super().after_process_message(broker, message, result=result, exception=exception)

    after_skip_message = after_process_message

