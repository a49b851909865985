"""Run queued dramatiq messages synchronously in the test's thread and transaction.

The stub broker keeps encoded messages in memory queues; `drain` decodes each one and
runs it between the same middleware hooks a worker calls, so the town context is
activated (or the message refused) exactly as in production. A town that cannot be looked
up raises `TownUnavailable` here (a worker would retry the message).
"""

import dramatiq
from dramatiq.broker import MessageProxy
from dramatiq.middleware import SkipMessage

from tenants.jobs import TownContextMiddleware


def _town_middleware(broker) -> TownContextMiddleware:
    return next(m for m in broker.middleware if isinstance(m, TownContextMiddleware))


def drain(max_messages: int = 1000) -> dict:
    broker = dramatiq.get_broker()
    middleware = _town_middleware(broker)
    processed, skipped = 0, 0
    for _ in range(max_messages):
        data = None
        for queue in broker.queues.values():
            if not queue.empty():
                data = queue.get_nowait()
                queue.task_done()
                break
        if data is None:
            break
        message = MessageProxy(dramatiq.Message.decode(data))  # what a worker hands the middleware
        try:
            middleware.before_process_message(broker, message)
        except SkipMessage:
            skipped += 1
            middleware.after_skip_message(broker, message)
            continue
        except Exception:
            middleware.after_process_message(broker, message)
            raise
        try:
            broker.get_actor(message.actor_name).fn(*message.args, **message.kwargs)
        except BaseException as error:
            middleware.after_process_message(broker, message, exception=error)
            raise
        processed += 1
        middleware.after_process_message(broker, message)
    return {"processed": processed, "skipped": skipped}
