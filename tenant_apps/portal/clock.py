"""The town's calendar day and local time (its own time zone, not the server's)."""

import datetime

from django.db import connection
from django.utils import timezone


def town_zone():
    return getattr(connection.tenant, "zoneinfo", None) or timezone.get_default_timezone()


def town_today() -> datetime.date:
    return timezone.localdate(timezone=town_zone())
