"""Guard: parents' pages and API views never query a model directly; they go through selectors
that start from the signed-in guardian's household (STYLE: "reads scoped to the caller")."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARENT_FACING = ["views.py", "api/views.py"]
APPS = ["accounts", "families", "bookings", "billing", "documents", "messaging", "portal"]
# Town-wide data that belongs to no household: the catalogue of services, and the simulated
# bank's lookup of a payment by the provider's reference (dummy backend only).
ALLOWED = {("bookings", "Service"), ("billing", "PaymentTransaction")}
QUERY = re.compile(r"\b(\w+)\.objects\b")


def test_parent_facing_views_query_models_only_through_scoped_selectors():
    offending = []
    for app in APPS:
        for name in PARENT_FACING:
            path = ROOT / "tenant_apps" / app / name
            if not path.exists():
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                for model in QUERY.findall(line):
                    if (app, model) not in ALLOWED:
                        offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offending == []


def test_the_guard_sees_a_direct_query():
    # The pattern the guard looks for does catch an unscoped query.
    assert QUERY.findall("child = Child.objects.get(pk=child_id)") == ["Child"]
