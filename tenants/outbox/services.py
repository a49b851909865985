"""The transactional outbox of town jobs.

`send_on_commit` writes the job in the town's schema, in the same transaction as the change
it follows, and sends it to the broker once that transaction commits. If the broker is down
then, the page or the provider's callback is answered as usual and the job stays pending;
`outbox_dispatch` sends it later (every minute, see `tasks`, or `manage.py dispatch_outbox`).

Each message is sent once: whoever sends it holds its row locked (others skip it) and
marks it sent in the same transaction. If the process dies after the broker took the message
but before that transaction commits, the row stays pending and is sent again; the message
carries its row's id, and the worker runs only the first copy (the row records which one:
`claimed_by`), so the job still happens once.
"""

import logging
from functools import partial
from typing import Any

import dramatiq
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tenants.utils import get_public_schema_name, schema_context
from dramatiq.errors import ActorNotFound

from tenants.current import current_schema
from tenants.jobs import OUTBOX_OPTION, SCHEMA_OPTION

from .models import OutboxMessage

logger = logging.getLogger(__name__)

DISPATCH_BATCH = 500


def send_on_commit(actor: dramatiq.Actor, *args: Any, **kwargs: Any) -> None:
    """Send `actor` with these arguments once the current transaction commits, in this town.

    The commit may happen after the caller has left the town's context (provisioning runs
    a town's setup inside a wider transaction), so the schema is captured now.
    """
    schema = current_schema()
    if schema == get_public_schema_name():
        raise RuntimeError(f"send_on_commit({actor.actor_name}) outside a town: jobs run in a town.")
    message = OutboxMessage.objects.create(actor_name=actor.actor_name, args=list(args), kwargs=kwargs)
    # robust: whatever goes wrong here, the caller's work is committed and the row stays pending.
    transaction.on_commit(partial(_dispatch_after_commit, schema, message.pk), robust=True)


def _dispatch_after_commit(schema: str, message_id: int) -> None:
    with schema_context(schema):
        outbox_dispatch(message_id=message_id)


def outbox_dispatch(*, message_id: int | None = None, limit: int = DISPATCH_BATCH) -> int:
    """Send this town's pending messages to the broker, oldest first; return how many were sent.

    Stops at the first broker error: the others would fail alike, and all stay pending.
    """
    sent = 0
    while sent < limit:
        with transaction.atomic():
            pending = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
                status=OutboxMessage.Status.PENDING
            )
            if message_id is not None:
                pending = pending.filter(pk=message_id)
            message = pending.order_by("pk").first()
            if message is None:
                return sent
            outcome = _send(message)
        if outcome == OutboxMessage.Status.PENDING:
            return sent
        if outcome == OutboxMessage.Status.SENT:
            sent += 1
        if message_id is not None:
            break
    return sent


def _actor(name: str) -> dramatiq.Actor:
    """The actor called `name`. A process declares actors as it imports their `tasks` modules
    (a web process, only those it used): an unknown one is looked for in them all first."""
    broker = dramatiq.get_broker()
    try:
        return broker.get_actor(name)
    except ActorNotFound:
        autodiscover_modules(*settings.DRAMATIQ_AUTODISCOVER_MODULES)
        return broker.get_actor(name)


def _send(message: OutboxMessage) -> str:
    """Send one locked message and record the outcome: its status afterwards (still
    PENDING when the broker did not take it)."""
    try:
        actor = _actor(message.actor_name)
    except ActorNotFound:
        logger.error("Outbox message %s of %s abandoned: no actor %r.", message.pk, current_schema(),
                     message.actor_name)
        message.status = OutboxMessage.Status.FAILED
        message.last_error = f"no actor {message.actor_name!r}"
        message.save(update_fields=["status", "last_error"])
        return message.status
    if message.claimed_by:  # a copy sent before a crash already ran: nothing to send
        return _mark_sent(message)
    # message options, not `delay`
    options: dict[str, Any] = {SCHEMA_OPTION: current_schema(), OUTBOX_OPTION: message.pk}
    try:
        actor.send_with_options(args=tuple(message.args), kwargs=message.kwargs, **options)
    except Exception as error:  # noqa: BLE001 - the broker is down or refuses: try again later
        logger.warning("Outbox message %s (%s) of %s left pending: the broker did not take it (%s).",
                       message.pk, message.actor_name, current_schema(), error)
        message.attempts += 1
        message.last_error = str(error)[:1000]
        message.save(update_fields=["attempts", "last_error"])
        return message.status
    message.attempts += 1
    return _mark_sent(message)


def _mark_sent(message: OutboxMessage) -> str:
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.save(update_fields=["status", "sent_at", "attempts"])
    return message.status


def outbox_purge(*, older_than) -> int:
    """Delete the messages sent before `older_than` (a datetime); return how many."""
    deleted, _ = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT, sent_at__lt=older_than).delete()
    return deleted
