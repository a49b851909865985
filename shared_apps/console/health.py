"""Reachability checks of the database, the broker and the cache, for `/healthz`."""

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        logger.warning("healthz: database unreachable", exc_info=True)
        return False


def broker_ok() -> bool:
    broker: dict[str, Any] = settings.DRAMATIQ_BROKER  # django-dramatiq's settings: a loose dict
    backend: str = broker["BROKER"]
    url: str = broker.get("OPTIONS", {}).get("url", "")
    try:
        if backend.endswith("RabbitmqBroker"):
            import pika

            params = pika.URLParameters(url)
            params.connection_attempts = 1
            params.socket_timeout = 2
            params.blocked_connection_timeout = 2
            pika.BlockingConnection(params).close()
        elif backend.endswith("RedisBroker"):
            import redis

            redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping()
        return True
    except Exception:  # noqa: BLE001
        logger.warning("healthz: broker unreachable", exc_info=True)
        return False


def cache_ok() -> bool:
    """The pages work through a cache outage (a miss), slower: the check says it is down."""
    try:
        cache.get("healthz")
        return True
    except Exception:  # noqa: BLE001
        logger.warning("healthz: cache unreachable", exc_info=True)
        return False
