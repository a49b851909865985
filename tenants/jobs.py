"""dramatiq glue: every message carries the schema it was sent from.

`TownContextMiddleware` stamps the sender's schema on enqueue, activates that town in
the worker before the actor runs (its schema and its time zone, as the web middleware
does) and resets both after. A message with no schema, or with a schema that is not an
active town, is refused (skipped and logged): it fails closed.
Actors that run for the whole platform (schedulers fanning out to towns) declare
`platform=True` and run in the public schema.
"""

import logging
from typing import Any

import dramatiq
from django.db import transaction
from django_tenants.utils import get_public_schema_name
from dramatiq.broker import MessageProxy
from dramatiq.middleware import Middleware, SkipMessage

from .current import activate_public, activate_town, current_schema

logger = logging.getLogger(__name__)

SCHEMA_OPTION = "town_schema"


def _stamped(schema: str) -> dict[str, Any]:
    """The message options that send a message to `schema`."""
    return {SCHEMA_OPTION: schema}


class TownContextMiddleware(Middleware):
    @property
    def actor_options(self) -> set[str]:
        return {"platform", SCHEMA_OPTION}

    def before_enqueue(self, broker: dramatiq.Broker, message: dramatiq.Message, delay: int) -> None:
        if SCHEMA_OPTION not in message.options:
            message.options[SCHEMA_OPTION] = current_schema()

    def before_process_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        from .routing import town_by_schema

        schema = message.options.get(SCHEMA_OPTION)
        actor = broker.get_actor(message.actor_name)
        is_platform = actor.options.get("platform", False)
        if is_platform and schema == get_public_schema_name():
            activate_public()
            return
        if not schema or schema == get_public_schema_name():
            logger.error("Refused message %s (%s): no town schema.", message.message_id, message.actor_name)
            raise SkipMessage("message carries no town schema")
        town = town_by_schema(schema)
        if town is None or not town.is_active:
            logger.error(
                "Refused message %s (%s): unknown or archived town schema %r.",
                message.message_id, message.actor_name, schema,
            )
            raise SkipMessage(f"unknown town schema {schema!r}")
        activate_town(town)

    def after_process_message(self, broker: dramatiq.Broker, message: MessageProxy, *,
                              result: Any = None, exception: BaseException | None = None) -> None:
        activate_public()

    def after_skip_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        activate_public()


def fan_out(actor: dramatiq.Actor, *args: Any, **kwargs: Any) -> int:
    """Send `actor` once per active town, each message stamped with that town's schema."""
    from .models import Town

    schemas = list(Town.objects.filter(status=Town.Status.ACTIVE).values_list("schema_name", flat=True))
    for schema in schemas:
        actor.send_with_options(args=args, kwargs=kwargs, **_stamped(schema))
    return len(schemas)


def send_on_commit(actor: dramatiq.Actor, *args: Any, **kwargs: Any) -> None:
    """Send `actor` once the current transaction commits, stamped with the schema active *now*.

    The commit may happen after the caller has left the town's context (provisioning runs
    a town's setup inside a wider transaction), so the schema is captured at call time.
    """
    schema = current_schema()
    transaction.on_commit(lambda: actor.send_with_options(args=args, kwargs=kwargs, **_stamped(schema)))
