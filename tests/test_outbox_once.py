"""A job sent twice through the outbox runs once.

The dispatcher marks a row sent in the transaction that sent it to the broker. If the process
dies after the broker took the message and before that commit, the row stays pending and the
next dispatch sends it again: the parent must still get one e-mail, not two."""

import dramatiq
import pytest
from django.db import transaction

from tenant_apps.accounts.services import password_reset_request
from tenant_apps.accounts.tests.factories import UserFactory
from tenants.outbox.models import OutboxMessage
from tenants.outbox.services import outbox_dispatch

PARENT = "claire.alain@example.org"


class Crash(Exception):
    """The dispatcher's process dies after the broker took the message."""


def dispatch_then_crash():
    with pytest.raises(Crash), transaction.atomic():
        assert outbox_dispatch() == 1  # the broker has the message…
        raise Crash  # …and the row's "sent" is never committed


@pytest.fixture
def reset_requested(town):
    UserFactory(email=PARENT)
    password_reset_request(email=PARENT)
    return OutboxMessage.objects.get()


def test_a_message_sent_again_after_a_crash_runs_once(reset_requested, run_jobs, mailoutbox):
    dispatch_then_crash()
    reset_requested.refresh_from_db()
    assert reset_requested.status == OutboxMessage.Status.PENDING

    # The next dispatch sends it again: two copies are on the broker
    assert outbox_dispatch() == 1

    # The first copy runs, the second is recognised and skipped
    assert run_jobs() == {"processed": 1, "skipped": 1}
    assert [mail.to for mail in mailoutbox] == [[PARENT]]
    reset_requested.refresh_from_db()
    assert reset_requested.claimed_by and reset_requested.status == OutboxMessage.Status.SENT


def test_a_copy_that_already_ran_is_not_sent_again(reset_requested, run_jobs, mailoutbox):
    dispatch_then_crash()
    assert run_jobs() == {"processed": 1, "skipped": 0}  # the worker ran the copy before the next dispatch

    # The next dispatch sees the row was run, marks it sent, and sends nothing
    assert outbox_dispatch() == 1
    assert run_jobs() == {"processed": 0, "skipped": 0}
    assert len(mailoutbox) == 1
    reset_requested.refresh_from_db()
    assert reset_requested.status == OutboxMessage.Status.SENT


def _deliver_twice() -> None:
    """The message on the broker is delivered twice with the same id."""
    [queue] = [q for q in dramatiq.get_broker().queues.values() if not q.empty()]
    data = queue.get_nowait()
    queue.task_done()
    queue.put(data)
    queue.put(data)


def test_a_redelivery_of_a_job_that_completed_is_skipped(reset_requested, run_jobs, mailoutbox):
    # The worker sent the e-mail but its acknowledgement was lost: the broker delivers it again
    outbox_dispatch()
    _deliver_twice()
    assert run_jobs() == {"processed": 1, "skipped": 1}
    assert len(mailoutbox) == 1


def test_a_retry_after_a_failure_runs_again(reset_requested, run_jobs, mailoutbox, monkeypatch):
    # The first attempt fails (the mail server refuses); dramatiq retries the same message
    from django.core import mail

    outbox_dispatch()
    _deliver_twice()
    real_send = mail.EmailMessage.send
    attempts = []

    def refused_once(self, *args, **kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionRefusedError("SMTP down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", refused_once)
    with pytest.raises(ConnectionRefusedError):
        run_jobs(max_messages=1)
    assert run_jobs() == {"processed": 1, "skipped": 0}
    assert [m.to for m in mailoutbox] == [[PARENT]]
