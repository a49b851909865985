"""Login throttling (django-axes): when a lock lifts (the client address is `tenants.throttling.client_ip`).

What is locked (settings `AXES_LOCKOUT_PARAMETERS`): an (account, address) pair and an
address, after `AXES_FAILURE_LIMIT` failures within `AXES_COOLOFF_TIME`. An account alone
is never locked, so failures from one address never keep the owner out from another. A try
refused during a lock is not counted (`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT =
False`), so the lock lifts at a fixed time whatever the client keeps sending.
"""

from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.utils import timezone


def lock_lifts_at(request, credentials: dict | None = None) -> datetime:
    """When every lock that holds this request (its pair, its address) has lifted.

    axes keeps one row per (account, address, browser) with its failure count and the time
    of its last failure; a row stops counting `cool_off` after that time. A lock holds
    while the rows it counts add up to the limit, so it lifts when enough of the oldest
    rows have expired.
    """
    cool_off = get_cool_off(request)
    limit = get_failure_limit(request, credentials)
    AxesProxyHandler.update_request(request)
    lifts_at: datetime | None = None
    for attempts in AxesProxyHandler.get_implementation().get_user_attempts(request, credentials):
        rows = sorted(attempts.values_list("attempt_time", "failures_since_start"))
        failures = sum(count for _time, count in rows)
        if failures < limit:
            continue
        for attempt_time, count in rows:
            failures -= count
            if failures < limit:
                lifts_at = max(lifts_at or attempt_time + cool_off, attempt_time + cool_off)
                break
    return lifts_at or timezone.now() + cool_off
