"""Bookings benchmark: week grid, a school year of bulk booking, concurrent set/unset throughput.

    .venv/bin/python bench/bench_bookings.py

Sets up its own throw-away town (provisioning.services.town_create / town_drop) in the database
of BENCH_DATABASE_URL (or DATABASE_URL, or the local default), prints figures beside a baseline
measured in the same run, and drops the town afterwards. BENCH_SECONDS (default 60) bounds the
throughput phase, BENCH_CLIENTS (default 16) its concurrency; gunicorn runs with 2 workers.
"""

import datetime as dt
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from tenants.current import activate_public  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
PASSWORD = "Bench-Tartine-2-Confiture"


def heading(text: str) -> None:
    print(f"\n== {text} ==")


def timed(fn, runs: int = 20) -> tuple[float, float]:
    """(median ms, p95 ms) of `runs` calls after one warm-up."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def capture() -> CaptureQueriesContext:
    """CaptureQueriesContext on an emptied log: a full log (9,000 entries, the seeding fills it) counts 0."""
    connection.queries_log.clear()
    return CaptureQueriesContext(connection)


def count_queries(fn) -> int:
    with capture() as queries:
        fn()
    return len(queries)


REQUEST_PLUMBING = ("SET search_path", '"django_session"', 'FROM "accounts_user"')
QUERY_TARGET = 10  # issue 13, target 4: week grid and bulk school year
LATENCY_TARGET = 5  # week grid, × GET /healthz


def own_statements(queries) -> int:
    """The statements of the page itself, without what every signed-in request sends (search_path, session
    and user reads, the session's last-seen write with its transaction): target 2's part."""
    sql = [q["sql"] for q in queries.captured_queries]
    plumbing = {i for i, text in enumerate(sql) if any(mark in text for mark in REQUEST_PLUMBING)}
    for i in [i for i in plumbing if sql[i].startswith(("UPDATE", "INSERT"))]:
        plumbing |= {i - 1, i + 1}
    return len(sql) - len(plumbing)


def verdict(ok: bool) -> str:
    return "pass" if ok else "short"


def ensure_database() -> None:
    """The public schema migrated, and a spare schema ready for the next town."""
    import psycopg

    from provisioning.spares import spare_pool_refill

    db = settings.DATABASES["default"]
    try:
        connection.ensure_connection()
    except Exception:  # the bench database does not exist yet: create it
        with psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"],
                             password=db["PASSWORD"] or None, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
    activate_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.tenants_town')")
        migrated = cursor.fetchone()[0] is not None
    if not migrated:
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    spare_pool_refill(size=1)
    # DEBUG is off, as in production: pages need the hashed static files manifest.
    call_command("collectstatic", interactive=False, verbosity=0)


def open_monday(today: dt.date, weeks_ahead: int = 2) -> dt.date:
    from tenant_apps.catalog.calendar import TownCalendar

    calendar = TownCalendar(zone="B")
    monday = today + dt.timedelta(days=7 * weeks_ahead - today.weekday())
    while any(calendar.public_holiday(monday + dt.timedelta(days=i)) for i in range(5)):
        monday += dt.timedelta(days=7)
    return monday


def make_household(name: str, n_children: int, services, years):
    from tenant_apps.accounts.models import User
    from tenant_apps.catalog.models import Enrolment
    from tenant_apps.families.models import Child, Guardian, Household

    household = Household.objects.create(name=name)
    user = User.objects.create_user(f"{name.lower()}@bench.example", PASSWORD)
    Guardian.objects.create(household=household, user=user, first_name="Parent", last_name=name,
                            email=user.email)
    children = [Child.objects.create(household=household, first_name=f"Enfant{i}", last_name=name,
                                     birth_date=dt.date(2018, 1, 1 + i)) for i in range(n_children)]
    Enrolment.objects.bulk_create([Enrolment(child=c, service=s, school_year=y)
                                   for c in children for s in services for y in years])
    return user, children


def login(client, town, user) -> None:
    with tenant_context(town):  # the session lives in the town's schema
        client.force_login(user)


def make_services(count: int, prefix: str, **fields):
    from tenant_apps.catalog.models import Service

    defaults = {"weekdays": [0, 1, 2, 3, 4], "calendar": Service.Calendar.EVERY_OPEN_DAY,
                "deadline_time": dt.time(23, 59)}
    return [Service.objects.create(name=f"{prefix} {i + 1}", position=i, **{**defaults, **fields})
            for i in range(count)]


# --- 1. week grid ---------------------------------------------------------------------------------

def bench_week_grid(town, today) -> None:
    from tenant_apps.bookings.models import Booking
    from tenant_apps.catalog.models import school_year_of

    heading("Week grid (GET /reservations/?semaine=…)")
    monday = open_monday(today)
    years = sorted({school_year_of(monday), school_year_of(monday + dt.timedelta(days=6))})
    week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    with tenant_context(town), transaction.atomic():
        small_user, small_children = make_household("PETIT", 1, make_services(1, "Seule", capacity=100), years)
        many = make_services(7, "Prestation", capacity=100)
        large_user, large_children = make_household("GRAND", 3, many, years)
        Booking.objects.bulk_create([Booking(child=c, service=s, date=monday + dt.timedelta(days=d))
                                     for c in large_children for s in many for d in (0, 2, 4)])
    client = Client()
    url = f"/{town.slug}/reservations/?semaine={week}"
    results, medians = {}, {}
    for label, user in (("1 child × 1 service", small_user), ("3 children × 7 services", large_user)):
        login(client, town, user)
        get = lambda: client.get(url)  # noqa: E731
        assert get().status_code == 200
        with capture() as captured:
            get()
        count, own = len(captured), own_statements(captured)  # before the log moves on
        median, p95 = timed(get)
        results[label], medians[label] = count, median
        print(f"  {label:<26} {count:>3} queries ({own} of the page's own)   "
              f"median {median:7.1f} ms   p95 {p95:7.1f} ms")
    healthz, p95 = timed(lambda: client.get("/healthz"))
    print(f"  {'baseline: /healthz':<26} {count_queries(lambda: client.get('/healthz')):>3} queries   "
          f"median {healthz:7.1f} ms   p95 {p95:7.1f} ms")
    constant = len(set(results.values())) == 1
    print(f"  constant query count: {'yes' if constant else 'NO'}")
    queries, ratio = results["3 children × 7 services"], medians["3 children × 7 services"] / healthz
    print(f"  target 4, week grid 3 children × 7 services: {queries} queries (≤ {QUERY_TARGET}, was 14): "
          f"{verdict(queries <= QUERY_TARGET)}; {ratio:.1f}× /healthz (≤ {LATENCY_TARGET}×, was 18×): "
          f"{verdict(ratio <= LATENCY_TARGET)}")


# --- 2. bulk booking of a school year ---------------------------------------------------------

def bench_bulk(town, today) -> None:
    from tenant_apps.bookings.models import Booking
    from tenant_apps.catalog.models import Service

    heading("Bulk booking: a full school year, 4 days a week, 3 children, one request")
    start_year = today.year + 1 if today.month >= 8 else today.year
    start, end = dt.date(start_year, 9, 1), dt.date(start_year + 1, 7, 3)
    year = f"{start_year}-{start_year + 1}"
    with tenant_context(town), transaction.atomic():
        [canteen] = make_services(1, "Repas année", weekdays=[0, 1, 3, 4], calendar=Service.Calendar.SCHOOL_DAYS,
                                  capacity=300)
        user, children = make_household("ANNEE", 3, [canteen], [year])
        baseline_user, [baseline_child] = make_household("UNJOUR", 1, [canteen], [year])
        wizard_user, wizard_children = make_household("MASSE", 3, [canteen], [year])
    client = Client()
    login(client, town, baseline_user)
    one_day = {"child": baseline_child.pk, "service": canteen.pk, "date": start.isoformat()}
    while True:  # the first school day of September
        with tenant_context(town):
            from tenant_apps.catalog.selectors import schedule_for

            if schedule_for([canteen], dt.date.fromisoformat(one_day["date"]),
                            dt.date.fromisoformat(one_day["date"]), town=town).runs_on(
                    canteen, dt.date.fromisoformat(one_day["date"])):
                break
        one_day["date"] = (dt.date.fromisoformat(one_day["date"]) + dt.timedelta(days=1)).isoformat()
    api = f"/{town.slug}/api/v1/bookings/"
    with capture() as queries:
        began = time.perf_counter()
        single = client.post(f"{api}set/", one_day, content_type="application/json")
        single_ms = (time.perf_counter() - began) * 1000
    assert single.status_code == 200, single.content
    print(f"  {'baseline: one booking (API)':<32} {len(queries):>4} queries   {single_ms:8.1f} ms")

    login(client, town, user)
    payload = {"service": canteen.pk, "children": [{"child": c.pk, "weekdays": [0, 1, 3, 4]} for c in children],
               "start": start.isoformat(), "end": end.isoformat(), "action": "add", "criterion": "none"}
    with capture() as queries:
        began = time.perf_counter()
        response = client.post(f"{api}bulk/apply/", payload, content_type="application/json")
        bulk_ms = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, response.content
    plan = response.json()
    with tenant_context(town):
        stored = Booking.objects.filter(child__in=children, status="booked").count()
    print(f"  {'bulk apply (API)':<32} {len(queries):>4} queries   {bulk_ms:8.1f} ms   "
          f"{len(plan['to_create'])} bookings created ({stored} stored), {len(plan['skipped'])} days skipped")
    own = own_statements(queries)
    print(f"  {'':<32} {own:>4} of them the request's own (the rest: search_path, session, user, session write)")
    login(client, town, wizard_user)
    wizard = f"/{town.slug}/reservations/en-masse/"
    form = {"service": canteen.pk, "children": [c.pk for c in wizard_children],
            **{f"days_{c.pk}": [0, 1, 3, 4] for c in wizard_children},
            "start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y"), "action": "add", "criterion": "none"}
    assert client.get(wizard).status_code == 200
    steps = {}
    for step, expected in (("summary", 200), ("confirm", 302)):
        with capture() as captured:
            began = time.perf_counter()
            answer = client.post(wizard, {**form, "goto": step})
            elapsed = (time.perf_counter() - began) * 1000
        assert answer.status_code == expected, answer.status_code
        steps[step] = (len(captured), own_statements(captured))
        print(f"  {'wizard ' + step + ' (page)':<32} {len(captured):>4} queries   {elapsed:8.1f} ms   "
              f"{own_statements(captured)} of them the page's own")
    worst_own = max(own for _total, own in steps.values())
    print(f"  target 4, bulk school year: {len(queries)} queries (≤ {QUERY_TARGET}, was 21): "
          f"{verdict(len(queries) <= QUERY_TARGET)}; its own {own}, the wizard's steps' own ≤ {worst_own}: "
          f"{verdict(max(own, worst_own) <= QUERY_TARGET)}")


# --- 3. throughput against gunicorn -----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    # Same settings and database as this process (DATABASE_URL was set from BENCH_DATABASE_URL above).
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DEBUG": "false"}
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    import requests

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except requests.RequestException:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def stop_gunicorn(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def session_for(town, user) -> tuple[str, str]:
    """A signed-in session and a CSRF secret for `user`, as cookies a client can send."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    with tenant_context(town):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
    if session.session_key is None:
        raise RuntimeError("the session store gave no key")
    return session.session_key, secrets.token_hex(16)


def run_load(base: str, seconds: float, make_request) -> tuple[int, list[float], int]:
    """Concurrent clients for `seconds`: (requests, latencies in ms, errors)."""
    latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
    errors = [0] * CLIENTS
    stop_at = time.monotonic() + seconds

    def client(index):
        import requests

        with requests.Session() as http:
            step = 0
            while time.monotonic() < stop_at:
                began = time.perf_counter()
                ok = make_request(http, index, step)
                latencies[index].append((time.perf_counter() - began) * 1000)
                if not ok:
                    errors[index] += 1
                step += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flat = sorted(x for per_client in latencies for x in per_client)
    return len(flat), flat, sum(errors)


def report(label: str, total: int, latencies: list[float], errors: int, seconds: float) -> None:
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    median = statistics.median(latencies) if latencies else float("nan")
    print(f"  {label:<34} {total / seconds:8.1f} req/s   median {median:7.1f} ms   p95 {p95:7.1f} ms   "
          f"{total} requests, {errors} errors")


def bench_throughput(town, today) -> bool:
    from tenant_apps.bookings.models import Booking, BookingChange
    from tenant_apps.catalog.models import school_year_of

    heading(f"Booking throughput: {CLIENTS} clients, gunicorn 2 workers, {SECONDS:.0f} s per phase")
    monday = open_monday(today, weeks_ahead=2)
    days = [monday + dt.timedelta(days=7 * w + d) for w in range(4) for d in range(5)]
    years = sorted({school_year_of(days[0]), school_year_of(days[-1])})
    with tenant_context(town), transaction.atomic():
        # A small capacity: clients really compete for the last places of each day.
        [service] = make_services(1, "Repas débit", capacity=max(1, CLIENTS // 2))
        clients = [make_household(f"DEBIT{i}", 1, [service], years) for i in range(CLIENTS)]
    sessions = [session_for(town, user) for user, _children in clients]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_gunicorn(port)
    last_state: dict[tuple[int, dt.date], str] = {}
    lock = threading.Lock()
    state_re = re.compile(r'data-state="(\w+)"')
    try:
        def healthz(http, index, step):
            return http.get(f"{base}/healthz", timeout=10).status_code == 200

        total, latencies, errors = run_load(base, min(SECONDS, 10), healthz)
        report("baseline: GET /healthz", total, latencies, errors, min(SECONDS, 10))

        def toggle(http, index, step):
            session_key, csrf = sessions[index]
            child = clients[index][1][0]
            day = days[(step * 7 + index) % len(days)]
            action = "set" if secrets.randbelow(2) else "unset"
            response = http.post(
                f"{base}/{town.slug}/reservations/case/",
                data={"child": child.pk, "service": service.pk, "date": day.isoformat(), "action": action},
                headers={"HX-Request": "true", "X-CSRFToken": csrf},
                cookies={"sessionid": session_key, "csrftoken": csrf}, timeout=30,
            )
            if response.status_code != 200:
                return False
            match = state_re.search(response.text)
            if match is None:
                return False
            with lock:
                last_state[(child.pk, day)] = match.group(1)
            return True

        total, latencies, errors = run_load(base, SECONDS, toggle)
        report("set/unset (POST /reservations/case/)", total, latencies, errors, SECONDS)
    finally:
        stop_gunicorn(process)

    with tenant_context(town):
        rows = list(Booking.objects.filter(service=service).values_list("child_id", "date", "status"))
        per_key: dict = {}
        for child_id, day, status in rows:
            per_key.setdefault((child_id, day), []).append(status)
        duplicated = sum(1 for statuses in per_key.values() if len(statuses) > 1)
        lost = sum(1 for key, state in last_state.items() if state == "booked"
                   and per_key.get(key, [None])[0] != "booked")
        phantom = sum(1 for key, statuses in per_key.items() if statuses[0] == "booked"
                      and last_state.get(key) != "booked")
        over = max((Booking.objects.filter(service=service, date=d, status="booked").count() for d in days),
                   default=0)
        unrecorded = Booking.objects.filter(service=service).exclude(changes__isnull=False).count()
        changes = BookingChange.objects.filter(booking__service=service).count()
    print(f"  check: {len(rows)} booking rows, {changes} recorded changes; lost {lost}, duplicated {duplicated}, "
          f"booked without the client knowing {phantom}, rows without history {unrecorded}; "
          f"most booked on one day {over} (capacity {service.capacity})")
    ok = lost == duplicated == phantom == unrecorded == 0 and over <= service.capacity
    print(f"  integrity: {'OK' if ok else 'FAILED'}")
    return ok


def main() -> int:
    from django.utils import timezone

    from provisioning.services import town_create, town_drop
    from tenants.opening import town_open

    ensure_database()
    slug = f"bench-{uuid.uuid4().hex[:8]}"
    print(f"Database {connection.settings_dict['NAME']}, throw-away town /{slug}/")
    town = town_create(slug=slug, name="Mairie de Banc d'essai", zone="B")
    town_open(town=town, by="tests")  # parents sign in: the portal is open
    ok = True
    try:
        today = timezone.localdate(timezone=town.zoneinfo)
        bench_week_grid(town, today)
        bench_bulk(town, today)
        ok = bench_throughput(town, today)
    finally:
        activate_public()
        town_drop(town=town)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
