"""The client address that login throttling (django-axes) counts failures against."""

from django.conf import settings


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
