"""Platform housekeeping: a nightly job fanned out to every active town."""

import dramatiq
from django.contrib.sessions.models import Session
from django.utils import timezone
from dramatiq_crontab import cron

from .jobs import fan_out


@dramatiq.actor(max_retries=3)
def purge_expired_sessions() -> int:
    """Delete this town's expired sessions (runs in the town's schema)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@cron("17 3 * * *")
@dramatiq.actor(platform=True)
def nightly_housekeeping() -> int:
    """Scheduled once for the platform; sends one message per active town."""
    return fan_out(purge_expired_sessions)
