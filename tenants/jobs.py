"""dramatiq glue: every message carries the schema it was sent from.

`TownContextMiddleware` stamps the sender's schema on enqueue, activates that town in
the worker before the actor runs (its schema and its time zone, as the web middleware
does) and resets both after. It fails closed:

- a message with no schema, or with a schema that is not an active town, is refused and
  dead-lettered (logged, kept for inspection, never run);
- when the town cannot be looked up at all (database or cache failure, any exception),
  the actor does not run either: the message is retried later by dramatiq's `Retries`,
  then dead-lettered once its retries are spent.

Actors that run for the whole platform (schedulers fanning out to towns) declare
`platform=True` and run in the public schema. Town jobs are sent through the outbox
(`tenants.outbox.services.send_on_commit`).
"""

import logging
from typing import Any, NoReturn

import dramatiq
from django_tenants.utils import get_public_schema_name
from dramatiq.broker import MessageProxy
from dramatiq.middleware import Middleware, MiddlewareError, SkipMessage

from .current import activate_public, activate_town, current_schema

# No model import at module level: django_dramatiq imports this module (the middleware)
# while the app registry is loading, before any model can be.

logger = logging.getLogger(__name__)

SCHEMA_OPTION = "town_schema"
OUTBOX_OPTION = "outbox_id"  # the town's outbox row the message was sent from, if any


class TownUnavailable(MiddlewareError):
    """The message's town could not be looked up; the actor must not run (it is retried).

    A MiddlewareError, unlike any other exception, is not swallowed by the broker's hook
    dispatch: the worker treats it as the message's failure, so `Retries` re-enqueues it.
    """


class TownContextMiddleware(Middleware):
    @property
    def actor_options(self) -> set[str]:
        return {"platform", SCHEMA_OPTION, OUTBOX_OPTION}

    def before_enqueue(self, broker: dramatiq.Broker, message: dramatiq.Message, delay: int) -> None:
        if SCHEMA_OPTION not in message.options:
            message.options[SCHEMA_OPTION] = current_schema()

    def before_process_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        try:
            self._activate(broker, message)
        except SkipMessage:
            raise
        except Exception as error:
            activate_public()
            logger.warning(
                "Message %s (%s) for %r not run: its town could not be looked up (%s); it will be retried.",
                message.message_id, message.actor_name, message.options.get(SCHEMA_OPTION), error,
            )
            raise TownUnavailable(f"town {message.options.get(SCHEMA_OPTION)!r} could not be looked up") from error

    def _activate(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        from .routing import town_by_schema

        schema = message.options.get(SCHEMA_OPTION)
        is_platform = broker.get_actor(message.actor_name).options.get("platform", False)
        if is_platform and schema == get_public_schema_name():
            activate_public()
            return
        if not schema or schema == get_public_schema_name():
            self._refuse(message, "no town schema")
        town = town_by_schema(schema)
        if town is None or not town.is_active:
            self._refuse(message, f"unknown or archived town schema {schema!r}")
        activate_town(town)
        outbox_id = message.options.get(OUTBOX_OPTION)
        if outbox_id is not None and not _outbox_claim(outbox_id, message.message_id):
            logger.warning("Message %s (%s) of %s skipped: outbox row %s was already run by another copy.",
                           message.message_id, message.actor_name, schema, outbox_id)
            activate_public()
            raise SkipMessage("duplicate of an outbox message already run")

    @staticmethod
    def _refuse(message: MessageProxy, reason: str) -> NoReturn:
        logger.error("Refused message %s (%s): %s.", message.message_id, message.actor_name, reason)
        message.fail()  # dead-lettered rather than dropped
        raise SkipMessage(reason)

    def after_process_message(self, broker: dramatiq.Broker, message: MessageProxy, *,
                              result: Any = None, exception: BaseException | None = None) -> None:
        outbox_id = message.options.get(OUTBOX_OPTION)
        if exception is None and outbox_id is not None and current_schema() != get_public_schema_name():
            _outbox_complete(outbox_id, message.message_id)
        activate_public()

    def after_skip_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        activate_public()


def _outbox_claim(outbox_id: int, message_id: str) -> bool:
    """Claim the outbox row for this broker message; False when another copy claimed it, or
    when this very message already completed (a redelivery after a lost acknowledgement).

    A retry of the same message after a failure keeps its claim. A row that no longer exists
    (purged) does not stop the job: only a proven duplicate is skipped.
    """
    from django.db.models import Q
    from django.utils import timezone

    from .outbox.models import OutboxMessage

    rows = OutboxMessage.objects.filter(pk=outbox_id)
    claimed = rows.filter(Q(claimed_by="") | Q(claimed_by=message_id, completed_at__isnull=True)).update(
        claimed_by=message_id, claimed_at=timezone.now())
    return bool(claimed) or not rows.exists()


def _outbox_complete(outbox_id: int, message_id: str) -> None:
    from django.utils import timezone

    from .outbox.models import OutboxMessage

    OutboxMessage.objects.filter(pk=outbox_id, claimed_by=message_id).update(completed_at=timezone.now())


def fan_out(actor: dramatiq.Actor, *args: Any, **kwargs: Any) -> int:
    """Send `actor` once per active town, each message stamped with that town's schema."""
    from .models import Town

    schemas = list(Town.objects.filter(status=Town.Status.ACTIVE).values_list("schema_name", flat=True))
    for schema in schemas:
        actor.send_with_options(args=args, kwargs=kwargs, **{SCHEMA_OPTION: schema})
    return len(schemas)
