"""Test settings: real PostgreSQL, in-memory e-mail, a stub broker unless a test brings a real one."""

import hashlib

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, DRAMATIQ_BROKER, REST_FRAMEWORK, env
from .embedded import embedded_pg_dump

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
PAYMENT_CONFIG_KEY = f"payment-config:{SECRET_KEY}"
ALLOWED_HOSTS = ["*"]
PUBLIC_BASE_URL = "http://testserver"

# Each checkout gets its own test database, so that parallel work trees never collide.
_checkout = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default=f"test_portail_{_checkout}")}
DATABASES["default"]["CONN_MAX_AGE"] = 0

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}
DRAMATIQ_BROKER = {**DRAMATIQ_BROKER, "BROKER": "dramatiq.brokers.stub.StubBroker", "OPTIONS": {}}
STORAGES = {
    "default": {"BACKEND": "tenants.storage.TownFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
AXES_ENABLED = True
# The API throttles stay on, out of reach of the suite (the fuzzing sends hundreds of requests a
# minute from one address); tests/test_api_throttling.py lowers them to see the 429.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# No spare pool unless a test makes one: towns are then created by migration, and nothing refills behind them.
TOWN_SPARE_SCHEMAS = 0

# Without PG_DUMP_PATH, the embedded wheel's pg_dump: the newest PostgreSQL's, it dumps any older server too.
PG_DUMP_PATH = env("PG_DUMP_PATH", default="") or embedded_pg_dump()
