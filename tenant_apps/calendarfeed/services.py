"""The household's calendar address: create or replace it, revoke it, find it from its token."""

import secrets

from django.db import transaction

from tenant_apps.families.models import Household

from .models import CalendarFeed


@transaction.atomic
def calendar_feed_renew(*, household: Household) -> CalendarFeed:
    """A new secret address for the household; the previous one, if any, stops working."""
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(
        household=household, defaults={"token": secrets.token_urlsafe(32)})
    if not _created:
        feed.token = secrets.token_urlsafe(32)
        feed.last_read_at = None
        feed.save(update_fields=["token", "last_read_at"])
    return feed


def calendar_feed_revoke(*, household: Household) -> bool:
    """No address any more; True when there was one."""
    deleted, _ = CalendarFeed.objects.filter(household=household).delete()
    return bool(deleted)


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.select_related("household").filter(token=token).first()
    # compare_digest: the lookup is by index, this only avoids answering faster on near misses
    return feed if feed is not None and secrets.compare_digest(feed.token, token) else None
