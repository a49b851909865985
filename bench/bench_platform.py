"""Platform benchmarks: routing overhead (town creation: bench_town_creation.py).

Prints figures, each beside a baseline measured in the same run. Uses DATABASE_URL
(config.settings.local); creates throw-away towns and drops them.
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

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from provisioning.services import town_create, town_drop  # noqa: E402
from tenants.current import activate_public, activate_town  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))


def _timings(client: Client, path: str) -> list[float]:
    for _ in range(20):
        client.get(path)
    out = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(path)
        out.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return out


def bench_routing() -> None:
    town = town_create(slug=f"bench-{uuid.uuid4().hex[:8]}", name="Bench")
    try:
        client = Client()
        routed = _timings(client, f"/{town.slug}/connexion/")
        without = [m for m in settings.MIDDLEWARE if not m.startswith("tenants.middleware.")]
        with override_settings(MIDDLEWARE=without, ROOT_URLCONF=settings.TOWN_URLCONF):
            activate_town(town)
            direct = _timings(Client(), "/connexion/")
            activate_public()
    finally:
        activate_public()
        town_drop(town=town)

    def ms(values, q):
        return statistics.quantiles(values, n=100)[q - 1] * 1000

    print(f"Routing overhead, {REQUESTS} requests of the login page (in-process client):")
    print(f"  same view without tenancy (baseline): median {ms(direct, 50):6.2f} ms  p95 {ms(direct, 95):6.2f} ms")
    print(f"  through /<ville>/ routing           : median {ms(routed, 50):6.2f} ms  p95 {ms(routed, 95):6.2f} ms")
    print(f"  overhead of the routing middleware  : {ms(routed, 50) - ms(direct, 50):+6.2f} ms per request (median)")


if __name__ == "__main__":
    bench_routing()
