"""Town creation at a growing fleet: a spare schema claimed vs a migration, at town #1, #100, #300.

Target (issue 13): under 0.1 s at any fleet size. Towns 1 → BENCH_TOWNS (300) are created one
after the other through `town_create`, each claiming a spare; at each checkpoint a town is also
created by migration (the baseline, then dropped) with the same number of towns in the database.
Spares are copies of one spare made by migration (bench/spare_copies.py), made between creations
and not timed: in production a worker makes them off the request path. Every town made is
dropped at the end.
"""

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("EXECUTOR", "standard")
os.environ["TOWN_SPARE_SCHEMAS"] = "0"  # the bench makes the spares itself; nothing is queued for a worker

import django  # noqa: E402

django.setup()

from spare_copies import SpareCopier  # noqa: E402

from provisioning.models import SpareSchema  # noqa: E402
from provisioning.services import town_create, town_drop  # noqa: E402
from provisioning.spares import spare_pool_drop  # noqa: E402
from tenants.current import activate_public  # noqa: E402
from tenants.models import Town  # noqa: E402

TOWNS = int(os.environ.get("BENCH_TOWNS", "300"))
CHECKPOINTS = sorted({1, *(n for n in (100, 300, 1000) if n <= TOWNS), TOWNS})
TARGET = 0.1


def _timed(method: str) -> tuple[Town, float]:
    started = time.perf_counter()
    town = town_create(slug=f"bench-{uuid.uuid4().hex[:8]}", name="Bench", method=method)
    return town, time.perf_counter() - started


def main() -> int:
    activate_public()
    spare_pool_drop()
    copier = SpareCopier()
    made: list[Town] = []
    rows = []
    try:
        # One creation of each kind first: imports and caches of the process are not a town's cost.
        for method in ("pool", "migrate"):
            copier.make()
            town, _ = _timed(method)
            town_drop(town=town)
        spare_pool_drop()
        pool_times: list[float] = []
        for number in range(1, TOWNS + 1):
            copier.make()
            town, seconds = _timed("pool")
            assert not SpareSchema.objects.exists(), "the creation did not claim the spare"
            made.append(town)
            pool_times.append(seconds)
            if number in CHECKPOINTS:
                baseline, migrate_seconds = _timed("migrate")
                town_drop(town=baseline)
                recent = statistics.median(pool_times[-10:])
                rows.append((number, seconds, recent, migrate_seconds))
                print(f"  town #{number:<5} claimed a spare in {seconds:6.3f} s (median of the last 10: {recent:6.3f} s);"
                      f" by migration {migrate_seconds:6.2f} s", flush=True)
    finally:
        copier.close()
        activate_public()
        for town in made:
            town_drop(town=town)
        spare_pool_drop()
    print(f"Town creation with 1 → {TOWNS} towns in the database (spares made off the timed path):")
    print(f"  {'town':>6}  {'spare claimed':>13}  {'by migration (baseline)':>24}  ratio")
    for number, seconds, _recent, migrate_seconds in rows:
        print(f"  #{number:<5}  {seconds:11.3f} s  {migrate_seconds:22.2f} s  {migrate_seconds / seconds:5.0f}× faster")
    worst = max(seconds for _n, seconds, _r, _m in rows)
    first, last = rows[0][1], rows[-1][1]
    print(f"  growth from #1 to #{rows[-1][0]}: {last / first:.2f}× (the clone it replaces grew ≈ +84 ms per town)")
    verdict = "pass" if worst < TARGET else "short"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"  target: under {TARGET} s at every checkpoint: {verdict} (slowest {worst:.3f} s;"
          f" load average {load} on {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
