"""Every operation of the town API, fuzzed by schemathesis against its own OpenAPI document.

A committed throw-away town with the demo data answers from the live server; schemathesis
reads `/<ville>/api/v1/schema/` and sends each operation a bounded, deterministic batch of
valid and invalid requests: as the demo parent, as a gestionnaire, and without credentials.
Whatever it sends, the server must never answer 5xx, and what it answers must be what the
document says (status code, content type, body shape). A 500 is a bug.
"""

import uuid

import pytest
import requests
import schemathesis
from django.db import connection
from django_tenants.utils import tenant_context
from schemathesis.engine import events, from_schema
from schemathesis.schemas import BaseSchema

pytestmark = pytest.mark.fuzz

EXAMPLES_PER_OPERATION = 25
SEED = 20260227
# No 5xx, and every answer is documented: its status code, its content type, its body's shape.
CHECKS = {"not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance"}
ALL_CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
              "response_schema_conformance", "response_headers_conformance", "positive_data_acceptance",
              "negative_data_rejection", "use_after_free", "ensure_resource_availability", "missing_required_header",
              "ignored_auth", "unsupported_method", "allow_header_conformance")


# The only operation open without credentials.
OPEN_OPERATIONS = {"POST /api/v1/auth/token/"}


class FuzzTown:
    def __init__(self, town, base_url: str):
        self.town = town
        self.base_url = base_url
        self.tokens: dict[str, str] = {}

    def token(self, email: str, password: str) -> str:
        answer = requests.post(f"{self.base_url}/api/v1/auth/token/", json={"email": email, "password": password},
                               timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()["token"]


@pytest.fixture(scope="module")
def fuzz_town(django_db_setup, django_db_blocker, live_server_url):
    """The demo town (ALAIN household, services, bookings, invoices, documents, messages) and a
    gestionnaire, committed for the live server; dropped at the end of the module."""
    from provisioning.services import DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD, town_create, town_drop
    from tenant_apps.accounts.models import User
    from tenant_apps.families.demo import DEMO_PARENT_EMAIL, DEMO_PARENT_PASSWORD
    from tenants.opening import town_open

    slug = f"fuzz-{uuid.uuid4().hex[:8]}"
    # The live server answers from another thread: the database stays open for the whole module.
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        town = town_create(slug=slug, name="Mairie de Fuzzville", zone="B", demo=True)
        town_open(town=town, by="tests")  # parents sign in: the portal is open
        with tenant_context(town):
            User.objects.create_user(DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD, is_staff=True, first_name="Gestionnaire",
                                     last_name="Démo")
        connection.set_schema_to_public()
        fuzz = FuzzTown(town, f"{live_server_url}/{slug}")
        try:
            fuzz.tokens["parent"] = fuzz.token(DEMO_PARENT_EMAIL, DEMO_PARENT_PASSWORD)
            fuzz.tokens["staff"] = fuzz.token(DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD)
            yield fuzz
        finally:
            connection.set_schema_to_public()
            town_drop(town=town)


def _fuzz(fuzz: FuzzTown, *, headers: dict[str, str], exclude=(), only_statuses=None) -> list[str]:
    """Run schemathesis' engine (examples, coverage and fuzzing phases) on every operation;
    return one line per failed check (operation, check, title, a curl to reproduce)."""
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "suppress-health-check": ["all"],
        # A fresh connection per request: with keep-alive, the test server's split writes meet the
        # client's delayed ACK and every request waits ~40 ms (a 5× slower run).
        "headers": {**headers, "Connection": "close"},
        "base-url": fuzz.base_url,
        "generation": {"mode": "all", "max-examples": EXAMPLES_PER_OPERATION, "deterministic": True,
                       "database": "none"},
        "phases": {"stateful": {"enabled": False}},
        "checks": {name: {"enabled": name in CHECKS} for name in ALL_CHECKS},
    })
    schema: BaseSchema = schemathesis.openapi.from_url(f"{fuzz.base_url}/api/v1/schema/?format=json", config=config)
    for method, path in exclude:
        schema = schema.exclude(method=method, path=path)
    failures: list[str] = []
    tested: set[str] = set()
    for event in from_schema(schema).execute():
        if isinstance(event, events.NonFatalError):
            failures.append(f"{event.label}: error {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            raise event.exception
        elif isinstance(event, events.ScenarioFinished):
            tested.add(event.recorder.label)
            if only_statuses and event.recorder.label not in OPEN_OPERATIONS:
                for interaction in event.recorder.interactions.values():
                    if interaction.response is not None and interaction.response.status_code not in only_statuses:
                        failures.append(f"{event.recorder.label}: answered {interaction.response.status_code}"
                                        f" to {interaction.request.method} {interaction.request.uri}")
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        failures.append(f"{event.recorder.label}: {check.name}: {failure.title}\n"
                                        f"    {failure.message[:1500]}\n    {check.failure_info.code_sample}")
    assert len(tested) > 20, f"schemathesis tested only {sorted(tested)}"
    return sorted(set(failures))


def test_api_as_the_demo_parent(fuzz_town):
    # Given the demo parent's token, when schemathesis sends every operation valid and invalid input
    failures = _fuzz(fuzz_town, headers={"Authorization": f"Token {fuzz_town.tokens['parent']}"},
                     # revoking the token would sign the fuzzer out halfway (tested below)
                     exclude=[("DELETE", "/api/v1/auth/token/")])
    # Then no answer is a 5xx and every answer is the one the OpenAPI document describes
    assert not failures, "\n".join(failures)


def test_api_as_a_gestionnaire(fuzz_town):
    # Given a gestionnaire's token (an account without a household)
    failures = _fuzz(fuzz_town, headers={"Authorization": f"Token {fuzz_town.tokens['staff']}"},
                     exclude=[("DELETE", "/api/v1/auth/token/")])
    # Then a 4xx at worst, never a 5xx, as documented
    assert not failures, "\n".join(failures)


def test_api_without_credentials(fuzz_town):
    # Given no credentials at all (or a made-up token)
    failures = _fuzz(fuzz_town, headers={}, only_statuses={401, 404})
    # Then every operation but the token one answers 401, as documented (404: an address no route matches),
    # the token endpoint its own 200/400/429, never a 5xx
    assert not failures, "\n".join(failures)
