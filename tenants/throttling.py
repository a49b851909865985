"""Who is asking: the client address behind trusted proxies, and the API's rate limits.

Login throttling (django-axes) and the API throttles count against the same address.
The API's limits (README, "Limits") are `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`: per
account once signed in (`user`), per address without credentials (`anon`). Counters live
in the shared cache, whose keys are prefixed by the town's schema: each town counts apart.
"""

from django.conf import settings
from rest_framework import throttling
from rest_framework.settings import api_settings


def client_ip(request) -> str:
    """The socket's address, or, behind TRUSTED_PROXY_COUNT proxies, the address the
    outermost trusted proxy saw.

    X-Forwarded-For is only read when proxies are declared: otherwise any client could
    write a new address in it on every attempt and never be locked.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class _SettingsRate:
    """The rate read from the settings when the throttle is built (DRF reads them once, at
    import), and the client address as axes sees it."""

    scope: str | None

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return None if rate is None else str(rate)

    def get_ident(self, request) -> str:
        return client_ip(request)


class UserRateThrottle(_SettingsRate, throttling.UserRateThrottle):
    """Per signed-in account (per address for anonymous requests)."""


class AnonRateThrottle(_SettingsRate, throttling.AnonRateThrottle):
    """Per address, for requests without credentials (the token endpoint)."""
