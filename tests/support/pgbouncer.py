"""A real PgBouncer in transaction pooling mode in front of the test database, started by the test session.

`pgbouncer` (session fixture) yields the `(host, port)` it listens on. Its pool is deliberately tiny
(2 server connections per database and user) so that concurrent clients share server sessions,
as they do in production with many web workers: a setting one client leaves on a server session
would be seen by the next. Debian's `pgbouncer` package provides the binary (`make test` installs
it when it is missing); when it is absent the tests that need it are skipped, and CI fails a run
that skipped them (`.ci/run`).
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from tests.support.live import free_port
from tests.support.services import _wait_for_port

POOL_SIZE = 2


def _run_as(host: str) -> list[str]:
    """PgBouncer refuses to run as root: switch to an unprivileged account when we are root — the
    owner of the server's socket directory (the embedded server's system user), else postgres."""
    if os.geteuid() != 0:
        return []
    if host.startswith("/") and Path(host).stat().st_uid != 0:
        return ["-u", pwd.getpwuid(Path(host).stat().st_uid).pw_name]
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["-u", name]
    return []


@pytest.fixture(scope="session")
def pgbouncer(django_db_setup):
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists():
        pytest.skip("pgbouncer is not installed (Debian package `pgbouncer`; `make test` installs it)")
    db = connection.settings_dict
    workdir = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    workdir.chmod(0o755)
    port = free_port()
    host = db["HOST"] or "127.0.0.1"
    server = f"host={host}" + (f" port={db['PORT']}" if db["PORT"] else "")
    users = workdir / "users.txt"
    users.write_text(f'"{db["USER"]}" "{db["PASSWORD"] or ""}"\n')
    config = workdir / "pgbouncer.ini"
    config.write_text(
        "[databases]\n"
        f"* = {server}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {users}\n"
        "pool_mode = transaction\n"
        f"default_pool_size = {POOL_SIZE}\n"
        "max_client_conn = 200\n"
        "server_reset_query =\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
    )
    for path in (users, config):
        path.chmod(0o644)
    log = (workdir / "pgbouncer.log").open("w")
    process = subprocess.Popen([binary, *_run_as(host), str(config)], stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        _wait_for_port(port)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)
