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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("EXECUTOR", "standard")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from provisioning.services import town_create, town_drop  # noqa: E402
from tenants.current import activate_public, activate_town  # noqa: E402
from tenants.opening import town_open  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))


MAX_ROUTING_RATIO = 1.1


class TownSetByHandMiddleware:
    """The fair baseline of routing: the request is in the bench town as the router would leave it
    (schema, time zone, `request.town`, URL prefix) but set by hand, with no lookup of the slug
    and no switching of the schema. The view then reads the town profile and renders the town,
    as it does when routed."""

    town: Any = None

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.urls import set_script_prefix

        town = type(self).town
        prefix = f"/{town.slug}"
        request.town = request.tenant = town
        request.town_prefix = prefix
        request.urlconf = settings.TOWN_URLCONF
        request.path_info = request.path_info[len(prefix):]
        request.META["SCRIPT_NAME"] = prefix
        set_script_prefix(f"{prefix}/")
        return self.get_response(request)


def _interleaved(routed: Client, direct: Client, path: str, direct_settings) -> tuple[list[float], list[float]]:
    """Alternate the two kinds of request so that both see the same machine load."""
    def one(client, settings_override) -> float:
        with settings_override:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed

    from contextlib import nullcontext

    for _ in range(20):
        one(routed, nullcontext())
        one(direct, direct_settings)
    a, b = [], []
    for _ in range(REQUESTS):
        a.append(one(routed, nullcontext()))
        b.append(one(direct, direct_settings))
    return a, b


def bench_routing() -> None:
    town = town_create(slug=f"bench-{uuid.uuid4().hex[:8]}", name="Bench")
    town_open(town=town, by="tests")  # parents sign in: the portal is open
    try:
        by_hand = [m.replace("tenants.middleware.TownRoutingMiddleware", f"{__name__}.TownSetByHandMiddleware")
                   for m in settings.MIDDLEWARE]
        TownSetByHandMiddleware.town = town

        class DirectSettings:
            """The baseline's settings, entered for each of its requests, with the town activated by hand."""

            def __init__(self):
                self.override = override_settings(MIDDLEWARE=by_hand)

            def __enter__(self):
                self.override.enable()
                activate_town(town)

            def __exit__(self, *exc):
                self.override.disable()
                activate_public()

        routed, direct = _interleaved(Client(), Client(), f"/{town.slug}/connexion/", DirectSettings())
    finally:
        activate_public()
        town_drop(town=town)

    def ms(values, q):
        return statistics.quantiles(values, n=100)[q - 1] * 1000

    ratio = ms(routed, 50) / ms(direct, 50)
    print(f"Routing overhead, {REQUESTS} requests each of the login page (in-process client, interleaved):")
    print(f"  same view, town set by hand (baseline): median {ms(direct, 50):6.2f} ms  p95 {ms(direct, 95):6.2f} ms")
    print(f"  through /<ville>/ routing             : median {ms(routed, 50):6.2f} ms  p95 {ms(routed, 95):6.2f} ms")
    print(f"  overhead of the routing middleware    : {ms(routed, 50) - ms(direct, 50):+6.2f} ms per request (median),"
          f" {ratio:.2f}×   target ≤ {MAX_ROUTING_RATIO}×   {'pass' if ratio <= MAX_ROUTING_RATIO else 'SHORT'}")


if __name__ == "__main__":
    bench_routing()
