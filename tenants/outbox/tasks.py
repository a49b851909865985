"""Periodic sending of the jobs a town's outbox still holds, and the purge of sent ones."""

from datetime import timedelta

import dramatiq
from django.utils import timezone
from dramatiq_crontab import cron

from tenants.jobs import fan_out

from .services import outbox_dispatch, outbox_purge

KEEP_SENT = timedelta(days=7)


@dramatiq.actor(max_retries=0)
def dispatch_town_outbox() -> int:
    """Send this town's pending jobs (left there while the broker was down)."""
    return outbox_dispatch()


@cron("* * * * *")
@dramatiq.actor(platform=True, max_retries=0)
def dispatch_outboxes() -> int:
    """Every minute: each active town sends what its outbox still holds."""
    return fan_out(dispatch_town_outbox)


@dramatiq.actor(max_retries=1)
def purge_town_outbox() -> int:
    return outbox_purge(older_than=timezone.now() - KEEP_SENT)


@cron("41 3 * * *")
@dramatiq.actor(platform=True, max_retries=0)
def purge_outboxes() -> int:
    """Nightly: each active town forgets the jobs it sent more than a week ago."""
    return fan_out(purge_town_outbox)
