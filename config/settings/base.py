"""Settings shared by every environment, read from environment variables only."""

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute address of the deployment, used in e-mails sent from background jobs.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://localhost:8000").rstrip("/")

# --- Applications ------------------------------------------------------------------------
# The public schema holds the towns registry, payment-provider configuration and the
# operators; each town's schema holds everything about its families.

SHARED_APPS = [
    "provisioning",  # before django_tenants: its migrate_schemas skips current towns and keeps the spares migrated
    "django_tenants",
    "tenants",
    "shared_apps.console",
    "shared_apps.payments",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "tenant_apps.accounts",
    "rest_framework",
    "rest_framework.authtoken",
    "axes",  # operators' /ops/ login is throttled too
    "drf_spectacular",
    "django_dramatiq",
    "dramatiq_crontab",
]

TENANT_APPS = [
    "tenants.outbox",  # town jobs waiting for the broker
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "rest_framework.authtoken",
    "axes",
    "tenant_apps.core",
    "tenant_apps.accounts",
    "tenant_apps.families",
    "tenant_apps.catalog",
    "tenant_apps.bookings",
    "tenant_apps.billing",
    "tenant_apps.documents",
    "tenant_apps.messaging",
    "tenant_apps.calendarfeed",
    "tenant_apps.directdebit",
    "tenant_apps.accounting",
    "tenant_apps.portal",
    "tenant_apps.backoffice",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Town"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# Spare schemas kept migrated, each renamed into a new town in constant time (provisioning.spares).
TOWN_SPARE_SCHEMAS = env.int("TOWN_SPARE_SCHEMAS", default=3)
# Set the search_path once per connection and town, not before every query.
TENANT_LIMIT_SET_CALLS = True
TENANT_MULTIPROCESSING_MAX_PROCESSES = env.int("TENANT_MULTIPROCESSING_MAX_PROCESSES", default=2)

MIDDLEWARE = [
    "tenants.observability.RequestContextMiddleware",  # request id, access line, metrics: around everything
    "tenants.middleware.TownRoutingMiddleware",
    "tenants.middleware.RequestLimitsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.TownCookiePathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # request.htmx
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tenant_apps.accounts.middleware.InactivityTimeoutMiddleware",  # after messages: it leaves one
    "tenant_apps.accounts.opening.PortalOpeningMiddleware",  # a town "en préparation": staff only
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls_public"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
TOWN_URLCONF = "config.urls_town"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.town",
                "tenant_apps.portal.context_processors.town_profile",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database ----------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/portail_famille"),
}
# django-tenants' backend, sending the town's search_path only when it changes (tenants/postgresql_backend).
DATABASES["default"]["ENGINE"] = "tenants.postgresql_backend"
# "pgbouncer": the app talks to PgBouncer in transaction pooling mode; the schema is then set in
# every transaction (SET LOCAL) instead of once per connection, and server-side cursors are off.
DATABASE_POOLER = env("DATABASE_POOLER", default="")
DATABASES["default"]["POOLER"] = DATABASE_POOLER
if DATABASE_POOLER:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# A Unix-socket directory may be given percent-encoded as the host (the embedded server's).
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST") or "")
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# pg_dump used by `export_town`; empty: the first on the PATH. It must not be older than the server.
PG_DUMP_PATH = env("PG_DUMP_PATH", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# E-mail uniqueness is a case-insensitive constraint (accounts_user_email_ci_unique).
SILENCED_SYSTEM_CHECKS = ["auth.W004"]

# --- Cache (keys prefixed by the active schema) --------------------------------------------

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
}
CACHES["default"]["KEY_FUNCTION"] = "django_tenants.cache.make_key"
CACHES["default"]["REVERSE_KEY_FUNCTION"] = "django_tenants.cache.reverse_key"
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # The cache only saves queries (a cache error is a miss): a Redis that stops answering
    # must cost a request a second at most, never a hang.
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 1, "socket_timeout": 1})

# --- Authentication ----------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "tenant_apps.accounts.backends.TownStaffBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Each one also declares the lines of the password page's live checklist (password_policy.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "tenant_apps.accounts.password_policy.CnilPasswordValidator"},
    {"NAME": "tenant_apps.accounts.password_policy.NotLikeAccountValidator"},
    {"NAME": "tenant_apps.accounts.password_policy.NotCommonValidator"},
]
LOGIN_URL = "accounts:login"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions live in each town's schema: a cookie from one town means nothing in another.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Inactivity after which a signed-in user must sign in again (seconds).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "tenants.views.csrf_failure"

# Login throttling (CNIL: 8-character passwords need access restriction). Locked: an
# (account, address) pair and an address, never an account from everywhere (someone else's
# failures would lock its owner out); a try refused during a lock does not extend it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
# A success does not wipe the failures: axes would wipe the whole address's, so signing in to
# one's own account between guesses would escape the lock. Failures simply expire.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "tenant_apps.accounts.views.lockout"
AXES_CLIENT_IP_CALLABLE = "tenants.throttling.client_ip"
# Proxies (load balancers) in front of the web processes that append to X-Forwarded-For;
# 0 (the default): the socket address is the client's, X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_ENABLED = True
AXES_VERBOSE = False

# --- Internationalisation ----------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media files ----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=120)
    AWS_DEFAULT_ACL = None
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_ADDRESSING_STYLE = "path"
    DEFAULT_STORAGE_BACKEND = "tenants.storage.TownS3Storage"
else:
    DEFAULT_STORAGE_BACKEND = "tenants.storage.TownFileSystemStorage"

STORAGES = {
    "default": {"BACKEND": DEFAULT_STORAGE_BACKEND},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Request bodies (README, "Limits"): the form or JSON part (files excluded) kept in memory, and
# the whole body, files included (the largest accepted file is a 10 MB town document).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=12 * 1024 * 1024)

# --- E-mail ------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Portail Famille <noreply@portail-famille.localhost>")

# --- Payment providers -------------------------------------------------------------------

# Key of the payment providers' parameters stored encrypted in the database (any secret
# string). Independent of SECRET_KEY, so that rotating that one keeps them readable;
# required in production.
PAYMENT_CONFIG_KEY = env("PAYMENT_CONFIG_KEY", default="")

# --- Background jobs ---------------------------------------------------------------------

BROKER_URL = env("BROKER_URL", default="redis://127.0.0.1:6379/0")
DRAMATIQ_BROKER = {
    "BROKER": (
        "dramatiq.brokers.rabbitmq.RabbitmqBroker"
        if BROKER_URL.startswith("amqp")
        else "dramatiq.brokers.redis.RedisBroker"
    ),
    "OPTIONS": {"url": BROKER_URL},
    "MIDDLEWARE": [
        "dramatiq.middleware.AgeLimit",
        "dramatiq.middleware.TimeLimit",
        "dramatiq.middleware.Callbacks",
        "dramatiq.middleware.Retries",
        # Stale connections are closed before the town is looked up, not after.
        "django_dramatiq.middleware.DbConnectionsMiddleware",
        "tenants.jobs.TownContextMiddleware",
        "tenants.observability.JobContextMiddleware",  # after the town's: its job line names the town
        # dramatiq's Prometheus exporter, served by each worker host on `dramatiq_prom_port` (9191).
        *(["tenants.observability.JobMetrics"] if env.bool("JOBS_METRICS", default=False) else []),
    ],
}
DRAMATIQ_AUTODISCOVER_MODULES = ["tasks"]
DRAMATIQ_TASKS_DATABASE = "default"
DRAMATIQ_CRONTAB = {"REDIS_URL": env("CRONTAB_REDIS_URL", default=None)}

# Worker processes rendering an invoicing run's PDFs (billing.services.pdfs); 0: one per CPU.
BILLING_PDF_WORKERS = env.int("BILLING_PDF_WORKERS", default=0)

# --- REST API ----------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a missing or bad token then answers 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "tenants.api.AutoSchema",  # documents the JSON error answers
    "EXCEPTION_HANDLER": "tenants.api.exception_handler",
    # Deep nesting and lone surrogates are a 400, not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "tenants.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # 429 with Retry-After past these rates; the client address is tenants.throttling.client_ip.
    "DEFAULT_THROTTLE_CLASSES": ["tenants.throttling.UserRateThrottle", "tenants.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/min"),
        "user": env("API_THROTTLE_USER", default="600/min"),
    },
}
SPECTACULAR_SETTINGS = {
    # Several models have a `status`: name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "InvoiceStatusEnum": "tenant_apps.billing.models.Invoice.Status",
        "ConversationStatusEnum": "tenant_apps.messaging.models.Conversation.Status",
        "BookingStatusEnum": "tenant_apps.bookings.models.Booking.Status",
    },
    "TITLE": "Portail Famille API",
    "DESCRIPTION": "API of one town's parents' portal: household, children, bookings, invoices, documents, messages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

# --- Security headers ------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https:", "http:"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Every line names the town's schema and the request id (tenants.observability.ContextFilter);
# LOG_FORMAT=json (production's default) writes one JSON object a line.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "tenants.observability.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(schema)s %(request_id)s] %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s %(schema)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pika": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
# One line per request (schema, request id, view, status, duration); off: gunicorn's access log only.
ACCESS_LOG = env.bool("ACCESS_LOG", default=True)
# Bearer token of the Prometheus scrape endpoint /metrics; unset: the endpoint answers 404.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
