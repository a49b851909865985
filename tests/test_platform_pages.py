"""Health check, operators' console, production settings guard."""

import os
import subprocess
import sys

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.support.live import free_port


@pytest.fixture
def real_broker_settings(settings, broker_url):
    settings.DRAMATIQ_BROKER = {
        **settings.DRAMATIQ_BROKER,
        "BROKER": "dramatiq.brokers.rabbitmq.RabbitmqBroker" if broker_url.startswith("amqp")
        else "dramatiq.brokers.redis.RedisBroker",
        "OPTIONS": {"url": broker_url},
    }
    return settings


def test_healthz_is_200_when_database_broker_and_cache_answer(db, real_broker_settings):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "broker": True, "cache": True}


def test_healthz_is_503_when_the_broker_is_down(db, settings):
    settings.DRAMATIQ_BROKER = {**settings.DRAMATIQ_BROKER, "BROKER": "dramatiq.brokers.redis.RedisBroker",
                                "OPTIONS": {"url": f"redis://127.0.0.1:{free_port()}/0"}}
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] is False


def test_healthz_is_503_when_the_cache_is_down(db, real_broker_settings, cache_server):
    real_broker_settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                               "LOCATION": cache_server.url(1)}}
    cache_server.kill()
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": True, "broker": True, "cache": False}


def test_healthz_is_503_when_the_database_is_down():
    # A real process whose database address answers nothing.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nowhere"}
    code = (
        "import django; django.setup(); from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code, r.json()['database'])"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["503", "False"], result.stderr[-2000:]


def test_operators_sign_in_to_the_console_with_a_public_account(towns, db):
    from tenant_apps.accounts.models import User

    with schema_context("public"):
        User.objects.create_superuser("ops@vendor.example", "Ops-Console-2026!")
    client = Client()
    response = client.post("/ops/login/?next=/ops/", {"username": "ops@vendor.example", "password": "Ops-Console-2026!"})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["path"] == "/ops/"
    page = client.get("/ops/tenants/town/").content.decode()
    assert "ville-a" in page and 'href="/ville-a/"' in page


def test_a_town_account_cannot_enter_the_operators_console(towns, db):
    from django_tenants.utils import tenant_context

    from tenant_apps.accounts.models import User

    with tenant_context(towns["ville-a"]):
        User.objects.create_superuser("maire@ville-a.fr", "Maire-Ville-A-2026!")
    client = Client()
    response = client.post("/ops/login/", {"username": "maire@ville-a.fr", "password": "Maire-Ville-A-2026!"})
    assert response.status_code == 200  # the login form again, with an error
    assert client.get("/ops/").status_code == 302


PRODUCTION_ENV = {"SECRET_KEY": "x" * 50, "DEBUG": "false", "CACHE_URL": "redis://127.0.0.1:6379/1",
                  "PAYMENT_CONFIG_KEY": "y" * 50}


def start_production(**env: str | None) -> subprocess.CompletedProcess:
    """`django.setup()` with the production settings and PRODUCTION_ENV changed by `env` (None: unset)."""
    settings_env = {**PRODUCTION_ENV, **env}
    base = {k: v for k, v in os.environ.items() if k not in settings_env}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**base, **{k: v for k, v in settings_env.items() if v is not None},
             "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True, text=True,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"CACHE_URL": None}, "CACHE_URL must name a cache shared by every process"),
        ({"CACHE_URL": "locmemcache://"}, "CACHE_URL must name a cache shared by every process"),
        ({"CACHE_URL": "filecache:///tmp/cache"}, "CACHE_URL must name a cache shared by every process"),
        ({"PAYMENT_CONFIG_KEY": None}, "PAYMENT_CONFIG_KEY must be set"),
    ],
)
def test_production_refuses_to_start_when_a_setting_would_break_it_quietly(env, message):
    result = start_production(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_secret_key_a_shared_cache_and_a_payment_key():
    result = start_production()
    assert result.returncode == 0, result.stderr[-2000:]


def test_pages_carry_the_security_headers(towns, db):
    response = Client().get("/ville-a/connexion/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
