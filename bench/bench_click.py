"""Issue 13, target 2: one booking click (the htmx POST of one cell of the week grid).

    .venv/bin/python bench/bench_click.py

Prints, each beside its baseline measured in the same run, with a pass/short verdict:
- the SQL statements of one click (target ≤ 8);
- the web worker's CPU per click (in-process, `time.process_time`) vs a bare Django view answering
  through the same settings and middleware (target ≤ 3×);
- clicks per second against gunicorn (2 workers, BENCH_CLIENTS clients, each click a write) vs
  pgbench running the same SQL (`bench/booking_click.pgbench`: lock, count, insert, audit) with
  the same number of clients (target ≥ 15 %).

BENCH_CLICK_SECONDS (default 20) bounds each throughput phase; BENCH_CLICKS (default 300) the
CPU samples. Uses BENCH_DATABASE_URL or DATABASE_URL; a throw-away town, dropped afterwards.
"""

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_bookings as common  # noqa: E402 - sets Django up (settings, database)
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from tenants.current import activate_public  # noqa: E402

SECONDS = float(os.environ.get("BENCH_CLICK_SECONDS", "20"))
CLICKS = int(os.environ.get("BENCH_CLICKS", "300"))
MAX_STATEMENTS, MAX_CPU_RATIO, MIN_THROUGHPUT_SHARE = 8, 3.0, 0.15


def verdict(ok: bool) -> str:
    return "pass" if ok else "SHORT"


def bare(request):
    return HttpResponse("ok")


class BareUrls:
    """The public URLconf of the baseline: one view that answers "ok"."""

    urlpatterns = [path("", bare)]


def cpu_per_request(send, runs: int) -> float:
    """Median over 5 batches of the process CPU (ms) per request."""
    for _ in range(20):
        send(0)
    batches = []
    per_batch = max(1, runs // 5)
    for batch in range(5):
        began = time.process_time()
        for step in range(per_batch):
            send(batch * per_batch + step)
        batches.append((time.process_time() - began) * 1000 / per_batch)
    return sorted(batches)[2]


def setup(town, today):
    from tenant_apps.catalog.models import school_year_of

    monday = common.open_monday(today, weeks_ahead=2)
    days = [monday + dt.timedelta(days=7 * w + d) for w in range(4) for d in range(5)]
    years = sorted({school_year_of(days[0]), school_year_of(days[-1])})
    with tenant_context(town), transaction.atomic():
        [service] = common.make_services(1, "Repas clic", capacity=10 * common.CLIENTS)
        clients = [common.make_household(f"CLIC{i}", 1, [service], years) for i in range(common.CLIENTS)]
    return service, clients, days


def click_data(child, service, day: dt.date, step: int) -> dict:
    return {"child": child.pk, "service": service.pk, "date": day.isoformat(), "action": "set" if step % 2 == 0 else "unset"}


def bench_statements_and_cpu(town, service, clients, days) -> None:
    common.heading("Booking click: statements and web-worker CPU (in-process)")
    user, [child] = clients[0]
    client = Client()
    common.login(client, town, user)
    url = f"/{town.slug}/reservations/case/"

    def send(step: int) -> None:
        response = client.post(url, click_data(child, service, days[0], step), HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code

    send(0)
    send(1)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        send(0)
    # BEGIN/COMMIT (the view's transaction) are counted apart: every write has them.
    framing = sum(1 for q in captured.captured_queries if q["sql"] in ("BEGIN", "COMMIT"))
    statements = len(captured) - framing
    if os.environ.get("BENCH_VERBOSE"):
        for query in captured.captured_queries:
            print("   ", query["time"], query["sql"][:160])
    click_cpu = cpu_per_request(send, CLICKS)
    anonymous = Client()
    with override_settings(PUBLIC_SCHEMA_URLCONF=BareUrls):
        def send_bare(_step: int) -> None:
            assert anonymous.get("/").status_code == 200

        bare_cpu = cpu_per_request(send_bare, CLICKS)
    print(f"  SQL statements per click        : {statements:>6} (+{framing} BEGIN/COMMIT)   target ≤ {MAX_STATEMENTS}"
          f"   {verdict(statements <= MAX_STATEMENTS)}")
    print(f"  baseline: bare view, CPU/request: {bare_cpu:6.2f} ms")
    print(f"  booking click,       CPU/request: {click_cpu:6.2f} ms   {click_cpu / bare_cpu:.1f}× the bare view"
          f"   target ≤ {MAX_CPU_RATIO:.0f}×   {verdict(click_cpu / bare_cpu <= MAX_CPU_RATIO)}")


def pgbench_tps(town, service, clients, days) -> float | None:
    from tenant_apps.bookings.services import _lock_key

    binary = shutil.which("pgbench") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    if binary is None:
        print("  pgbench: not installed (Debian package postgresql-client): no ceiling measured")
        return None
    db = settings.DATABASES["default"]
    child_ids = sorted(child.pk for _user, children in clients for child in children)
    with tenant_context(town):
        key = _lock_key(service.pk)
    env = {**os.environ, "PGOPTIONS": f"-c search_path={town.schema_name},public",
           "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432), "PGUSER": db["USER"],
           "PGPASSWORD": db["PASSWORD"] or "", "PGDATABASE": db["NAME"]}
    variables = {"service": service.pk, "child_lo": child_ids[0], "child_hi": child_ids[-1],
                 "base": (days[0] - dt.date(2000, 1, 1)).days, "days": 5, "lockkey": key}
    command = [str(binary), "-n", "-c", str(common.CLIENTS), "-j", "2", "-T", str(int(SECONDS)),
               "-f", str(common.ROOT / "bench" / "booking_click.pgbench")]
    for name, value in variables.items():
        command += ["-D", f"{name}={value}"]
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    match = re.search(r"tps = ([\d.]+)", run.stdout)
    if run.returncode != 0 or match is None:
        print(f"  pgbench failed: {run.stderr.strip()[-500:]}")
        return None
    return float(match.group(1))


def bench_throughput(town, service, clients, days) -> None:
    common.heading(f"Booking click throughput: {common.CLIENTS} clients, {SECONDS:.0f} s per phase")
    sessions = [common.session_for(town, user) for user, _children in clients]
    port = common.free_port()
    base = f"http://127.0.0.1:{port}"
    process = common.start_gunicorn(port)
    try:
        def toggle(http, index, step):
            session_key, csrf = sessions[index]
            child = clients[index][1][0]
            day = days[5 + (step + 3 * index) % 15]  # weeks 2–4, clients spread over the days; each click a write
            response = http.post(f"{base}/{town.slug}/reservations/case/",
                                 data=click_data(child, service, day, step // 15),
                                 headers={"HX-Request": "true", "X-CSRFToken": csrf},
                                 cookies={"sessionid": session_key, "csrftoken": csrf}, timeout=30)
            return response.status_code == 200 and "data-state" in response.text

        total, latencies, errors = common.run_load(base, SECONDS, toggle)
    finally:
        common.stop_gunicorn(process)
    clicks = total / SECONDS
    tps = pgbench_tps(town, service, clients, days)
    if tps:
        print(f"  baseline: pgbench, same SQL     : {tps:8.1f} transactions/s")
    common.report("booking clicks (gunicorn, 2 workers)", total, latencies, errors, SECONDS)
    if tps:
        share = clicks / tps
        print(f"  clicks / pgbench ceiling        : {share:8.1%}      target ≥ {MIN_THROUGHPUT_SHARE:.0%}"
              f"   {verdict(share >= MIN_THROUGHPUT_SHARE)}")


def main() -> int:
    from django.utils import timezone

    from provisioning.services import town_create, town_drop
    from tenants.opening import town_open

    common.ensure_database()
    slug = f"bench-{uuid.uuid4().hex[:8]}"
    print(f"Database {connection.settings_dict['NAME']}, throw-away town /{slug}/")
    town = town_create(slug=slug, name="Mairie de Banc d'essai", zone="B")
    town_open(town=town, by="tests")  # parents sign in: the portal is open
    try:
        today = timezone.localdate(timezone=town.zoneinfo)
        service, clients, days = setup(town, today)
        bench_statements_and_cpu(town, service, clients, days)
        bench_throughput(town, service, clients, days)
    finally:
        activate_public()
        town_drop(town=town)
    return 0


if __name__ == "__main__":
    sys.exit(main())
