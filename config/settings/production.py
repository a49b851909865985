"""Production settings: refuse to start when a setting would break the deployment quietly.

- no SECRET_KEY, or DEBUG on;
- a cache that is not shared by every process (in-process memory, files): a town renamed or
  archived in one process would still be routed by the others until their copy expires;
- no PAYMENT_CONFIG_KEY: the payment providers' stored parameters would be encrypted with
  a key derived from SECRET_KEY, and rotating that key would make them unreadable.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DEBUG, LOGGING, PAYMENT_CONFIG_KEY, SECRET_KEY, env

UNSHARED_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.filebased.FileBasedCache",
)

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if CACHES["default"]["BACKEND"] in UNSHARED_CACHES:
    raise ImproperlyConfigured(
        "CACHE_URL must name a cache shared by every process (redis://…) in production: "
        "town routing is cached, and a town renamed or archived must be forgotten by all processes."
    )
if not PAYMENT_CONFIG_KEY:
    raise ImproperlyConfigured(
        "PAYMENT_CONFIG_KEY must be set in production: it encrypts the payment providers' parameters, "
        "independently of SECRET_KEY (see README, « Production »)."
    )

# One JSON object a line (schema and request id included) for the log collector.
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="json")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Probes and the Prometheus scraper talk to the web processes directly, on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
