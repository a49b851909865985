"""`make bench-fleet`: the platform at FLEET_TOWNS towns (1,000), in a database of its own.

Prints, each beside its baseline measured in the same run (issue 13, target 6):
- a no-op `migrate_schemas` (towns at the code's state skipped after one catalogue query;
  target < 60 s) beside `migrate_schemas --every-town` (each town's history loaded, as before);
- the login page's latency in town #1 vs town #N (target ≤ 1.05×);
- this process's memory (it serves the pages, as a web worker does) and its PostgreSQL
  backend's, after one request in town #1 and after one request in every town;
- the database's size per town.

The database is `<DATABASE_URL's name>_fleet`, created afresh and dropped at the end
(FLEET_KEEP=1 keeps it). Towns are created through `town_create`, each claiming a spare
copied from one spare made by migration (bench/spare_copies.py). FLEET_BASELINE=0 skips the
`--every-town` run (minutes at 1,000 towns).
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TOWNS = int(os.environ.get("FLEET_TOWNS", "1000"))
REQUESTS = int(os.environ.get("FLEET_REQUESTS", "200"))
MIGRATE_TARGET = 60.0
LATENCY_TARGET = 1.05


def _fleet_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/")) + "_fleet"
    return urlunsplit(parts._replace(path="/" + quote(name, safe=""))), name


def _recreate(base_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            admin.execute(f'CREATE DATABASE "{name}"')


def driver() -> int:
    """Start what is needed, make the fleet database, run the measures in a child process, clean up."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from embedded import EmbeddedPostgres

    embedded = None
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        embedded = EmbeddedPostgres()
        base_url = embedded.start()
    url, name = _fleet_url(base_url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local",
           "TOWN_SPARE_SCHEMAS": "0", "CONN_MAX_AGE": "3600", "DEBUG": "false"}
    env.pop("EXECUTOR", None)  # migrate_schemas' default, as in production: towns in parallel processes
    try:
        _recreate(base_url, name)
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate_schemas", "--shared", "--noinput", "-v", "0"], cwd=ROOT, env=env,  # noqa: S603
                       check=True)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
        return subprocess.call([sys.executable, __file__, "--measure"], cwd=ROOT, env=env)  # noqa: S603
    finally:
        if os.environ.get("FLEET_KEEP") != "1":
            _recreate(base_url, name, drop_only=True)
        if embedded:
            embedded.stop()


def _rss_mib(pid: int | str = "self") -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def measure() -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from spare_copies import SpareCopier

    from provisioning.services import town_create
    from tenants.current import activate_public

    def scalar(sql: str, params: list | None = None):
        activate_public()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    size_before = scalar("SELECT pg_database_size(current_database())")
    print(f"Fleet of {TOWNS} towns in {connection.settings_dict['NAME']}", flush=True)

    # 1. The fleet, through town_create (each town a spare claimed).
    copier = SpareCopier()
    creation: list[float] = []
    started = time.perf_counter()
    towns = []
    for number in range(1, TOWNS + 1):
        copier.make()
        begin = time.perf_counter()
        towns.append(town_create(slug=f"fleet-{number:04d}", name=f"Mairie n° {number}"))
        creation.append(time.perf_counter() - begin)
        if number % 100 == 0:
            print(f"  {number} towns ({time.perf_counter() - started:.0f} s)", flush=True)
    copier.close()
    print(f"  creation (spare claimed): town #1 {creation[0]:.3f} s, #{TOWNS} {creation[-1]:.3f} s,"
          f" median {statistics.median(creation):.3f} s, slowest {max(creation):.3f} s")

    # 2. Database size per town.
    size_after = scalar("SELECT pg_database_size(current_database())")
    one_town = scalar("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n"
                      " ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
                      [towns[-1].schema_name])
    print(f"Database size: {size_before / 2**20:.1f} MiB without towns, {size_after / 2**20:.1f} MiB with {TOWNS}:"
          f" {(size_after - size_before) / TOWNS / 2**20:.2f} MiB per town (town #{TOWNS}'s own relations:"
          f" {one_town / 2**20:.2f} MiB)")

    # 3. No-op migrate_schemas, beside the run that loads every town's history.
    connection.close()
    runs: list[tuple[str, list[str]]] = [("skipping towns at the code's state", [])]
    if os.environ.get("FLEET_BASELINE", "1") != "0":
        runs.append(("--every-town (baseline)", ["--every-town"]))
    timings = {}
    for label, extra in runs:
        begin = time.perf_counter()
        result = subprocess.run([sys.executable, "manage.py", "migrate_schemas", "--noinput", *extra],  # noqa: S603
                                cwd=ROOT, capture_output=True, text=True, check=False)
        timings[label] = time.perf_counter() - begin
        if result.returncode != 0:
            print(result.stderr[-2000:])
            return 1
        summary = [line for line in result.stdout.splitlines() if "already hold every migration" in line]
        print(f"No-op migrate_schemas, {label}: {timings[label]:.1f} s {summary[0] if summary else ''}", flush=True)
    skip = timings[runs[0][0]]
    if len(runs) > 1:
        print(f"  {timings[runs[1][0]] / skip:.1f}× faster than loading every town's history")
    print(f"  target under {MIGRATE_TARGET:.0f} s: {'pass' if skip < MIGRATE_TARGET else 'short'}")

    # 4. Page latency, town #1 vs town #N, interleaved so that load on the machine hits both alike.
    client = Client()
    first, last = f"/{towns[0].slug}/connexion/", f"/{towns[-1].slug}/connexion/"
    for _ in range(20):
        client.get(first)
        client.get(last)
    backend_pid = scalar("SELECT pg_backend_pid()")
    memory_query = "SELECT sum(total_bytes) FROM pg_backend_memory_contexts"
    worker_before, backend_rss_before = _rss_mib(), _rss_mib(backend_pid)
    backend_before = scalar(memory_query) / 2**20
    samples: dict[str, list[float]] = {first: [], last: []}
    for _ in range(REQUESTS):
        for path in (first, last):
            begin = time.perf_counter()
            response = client.get(path)
            samples[path].append(time.perf_counter() - begin)
            assert response.status_code == 200, (path, response.status_code)
    one, many = statistics.median(samples[first]) * 1000, statistics.median(samples[last]) * 1000
    print(f"Login page, median of {REQUESTS} requests: town #1 {one:.2f} ms, town #{TOWNS} {many:.2f} ms:"
          f" {many / one:.3f}× (target ≤ {LATENCY_TARGET}: {'pass' if many / one <= LATENCY_TARGET else 'short'})")

    # 5. Memory after one request in every town, on the same worker and the same backend.
    for town in towns:
        assert client.get(f"/{town.slug}/connexion/").status_code == 200
    same_backend = scalar("SELECT pg_backend_pid()") == backend_pid
    worker_after, backend_rss_after = _rss_mib(), _rss_mib(backend_pid)
    backend_after = scalar(memory_query) / 2**20
    print(f"Memory after one login page in each of the {TOWNS} towns (baseline: after requests in towns #1 and #{TOWNS}):")
    if worker_before and worker_after:
        print(f"  web worker (this process) RSS: {worker_before:.1f} → {worker_after:.1f} MiB"
              f" ({(worker_after - worker_before) * 1024 / TOWNS:+.1f} KiB per town)")
    print(f"  PostgreSQL backend {backend_pid} memory contexts: {backend_before:.1f} → {backend_after:.1f} MiB"
          f" ({(backend_after - backend_before) * 1024 / TOWNS:+.1f} KiB per town)"
          + ("" if same_backend else " — the connection was replaced meanwhile"))
    if backend_rss_before and backend_rss_after:
        print(f"  PostgreSQL backend RSS: {backend_rss_before:.1f} → {backend_rss_after:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(measure() if "--measure" in sys.argv else driver())
