"""The API's rate limits: per account once signed in, per address without credentials; past
them, a 429 in the API's error shape with Retry-After. The suite runs with limits out of reach
(config/settings/test.py); these tests lower them."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.support.fixtures import TownClient

pytestmark = pytest.mark.django_db

API = "/ville-a/api/v1"


@pytest.fixture
def low_rates(settings):
    def set_rates(*, user="1000/min", anon="1000/min"):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": user, "anon": anon}}
        cache.clear()
    return set_rates


@pytest.fixture
def two_parents(family, other_family):
    return family.user, other_family.user


def signed_in(user, address="203.0.113.7") -> TownClient:
    client = TownClient(REMOTE_ADDR=address)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_signed_in_account_past_its_rate_gets_a_429_with_retry_after(two_parents, low_rates):
    # Given a limit of 5 requests a minute per account
    low_rates(user="5/min")
    marie, paul = two_parents
    client = signed_in(marie)
    # When Marie's client sends 6 requests in a row
    answers = [client.get(f"{API}/household/") for _ in range(6)]
    # Then the first 5 are answered, the 6th is refused, in the API's shape, with the time to wait
    assert [answer.status_code for answer in answers] == [200] * 5 + [429]
    refused = answers[-1]
    assert refused.json()["code"] == "throttled"
    assert set(refused.json()) == {"code", "detail"}
    assert 0 < int(refused["Retry-After"]) <= 60
    # And Paul, signed in from the same address, is not held back by Marie's count
    assert signed_in(paul).get(f"{API}/household/").status_code == 200


def test_an_address_without_credentials_past_its_rate_gets_a_429(town_a, low_rates):
    # Given a limit of 3 anonymous requests a minute per address
    low_rates(anon="3/min")
    client = Client(REMOTE_ADDR="198.51.100.20")
    answers = [client.post(f"{API}/auth/token/", {"email": "x@exemple.fr", "password": "faux"},
                           content_type="application/json") for _ in range(4)]
    # Then wrong credentials are answered 3 times, the 4th attempt is throttled
    assert [answer.status_code for answer in answers] == [400, 400, 400, 429]
    assert answers[-1].json()["code"] == "throttled" and answers[-1].has_header("Retry-After")
    # While another address is still answered
    other = Client(REMOTE_ADDR="198.51.100.21").post(f"{API}/auth/token/", {"email": "x@exemple.fr"},
                                                     content_type="application/json")
    assert other.status_code == 400


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(town_a, low_rates, settings):
    # Given one trusted proxy in front of the web processes: every request comes from its address
    settings.TRUSTED_PROXY_COUNT = 1
    low_rates(anon="2/min")
    proxy = Client(REMOTE_ADDR="10.0.0.1")

    def from_client(address):
        return proxy.post(f"{API}/auth/token/", {"email": "x@exemple.fr"}, content_type="application/json",
                          HTTP_X_FORWARDED_FOR=address).status_code

    # Then each client behind it has its own count (400: incomplete credentials, but not throttled)
    assert [from_client("198.51.100.30") for _ in range(3)] == [400, 400, 429]
    assert from_client("198.51.100.31") == 400
    # And a client cannot reset its count by writing its own X-Forwarded-For before the proxy's
    assert from_client("1.2.3.4, 198.51.100.30") == 429


def test_the_openapi_documents_the_429_on_every_operation(client, town_a):
    schema = client.get(f"{API}/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], f"{method.upper()} {path}"
