"""Keep the pool of spare town schemas full and migrated, off the request path."""

import dramatiq
from dramatiq_crontab import cron

from .spares import spare_pool_refill


@cron("*/10 * * * *")
@dramatiq.actor(platform=True, max_retries=3, time_limit=30 * 60 * 1000)
def refill_spare_schemas() -> int:
    """Sent after each town creation and every ten minutes; runs in the public schema.

    Returns the number of spares made or migrated (0 when another refill was running).
    """
    report = spare_pool_refill()
    return report.created + report.migrated
