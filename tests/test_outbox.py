"""Town jobs go through an outbox: written with the change they follow, sent after the commit,
and sent later by the periodic dispatch when the broker did not take them then."""

import pytest
from django.db import connection

from tenant_apps.accounts.models import User
from tenant_apps.accounts.services import password_reset_request
from tenants.outbox.models import OutboxMessage
from tenants.outbox.services import outbox_dispatch, send_on_commit
from tenants.outbox.tasks import dispatch_outboxes

PARENT = "claire.alain@example.org"


@pytest.fixture
def claire(town):
    return User.objects.create_user(PARENT)


def test_a_job_is_recorded_with_the_change_and_sent_after_the_commit(claire, django_capture_on_commit_callbacks,
                                                                     run_jobs, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_request(email=PARENT)
        # Before the commit, the job is only in the town's outbox
        [pending] = OutboxMessage.objects.all()
        assert (pending.actor_name, pending.args, pending.status) == (
            "send_password_link", [PARENT, "reset"], OutboxMessage.Status.PENDING)

    pending.refresh_from_db()
    assert pending.status == OutboxMessage.Status.SENT and pending.sent_at is not None
    assert run_jobs() == {"processed": 1, "skipped": 0}
    [mail] = mailoutbox
    assert mail.to == [PARENT]


def test_a_job_the_broker_did_not_take_is_sent_by_the_periodic_dispatch_once(claire, run_jobs, mailoutbox):
    # Given a job still pending in town A's outbox (its commit-time send did not happen)
    password_reset_request(email=PARENT)
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING

    # When the minute's dispatch fans out to every town and the worker runs
    assert dispatch_outboxes.fn() == 2
    assert run_jobs() == {"processed": 3, "skipped": 0}  # two dispatches, then the e-mail

    # Then the parent gets their e-mail, and the next dispatches send nothing again
    [mail] = mailoutbox
    assert mail.to == [PARENT]
    dispatch_outboxes.fn()
    assert run_jobs() == {"processed": 2, "skipped": 0}
    assert len(mailoutbox) == 1


def test_a_message_whose_actor_is_gone_is_abandoned_and_the_next_ones_still_go(claire, run_jobs, mailoutbox):
    gone = OutboxMessage.objects.create(actor_name="an_actor_removed_by_a_deploy", args=[1])
    password_reset_request(email=PARENT)

    assert outbox_dispatch() == 1

    gone.refresh_from_db()
    assert gone.status == OutboxMessage.Status.FAILED and "an_actor_removed_by_a_deploy" in gone.last_error
    run_jobs()
    assert [m.to for m in mailoutbox] == [[PARENT]]


def test_a_town_job_cannot_be_sent_from_the_public_schema(db):
    from tenant_apps.accounts.tasks import send_password_link

    connection.set_schema_to_public()
    with pytest.raises(RuntimeError, match="outside a town"):
        send_on_commit(send_password_link, PARENT, "reset")
