"""Staff write first: a conversation with one household, a message to a group of households
(each gets its own conversation, sent by a job with progress), urgent notices on the parents'
home page.

Messages typed by staff (and parents) are plain text: shown as typed, line breaks kept.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.core.clock import town_today
from tenant_apps.core.html import format_plain_message
from tenant_apps.core.text import MESSAGE_BODY_MAX_CHARS, check_length, one_line
from tenant_apps.families.models import Household
from tenants.outbox.services import send_on_commit

from .audiences import Recipients
from .errors import EmptyMessage, NoticeEndsInPast, ServiceUnavailable, SubjectRequired
from .models import Conversation, GroupMessage, Message, Notice, TownService
from .services import _post, _subject

GROUP_BATCH = 100  # households per transaction and per e-mail job


def _checked(*, service: TownService, subject: str, body: str) -> tuple[str, str]:
    if not service.is_active:
        raise ServiceUnavailable()
    subject = _subject(subject)
    if not subject:
        raise SubjectRequired()
    check_length(body or "", max_chars=MESSAGE_BODY_MAX_CHARS, field="body", code="message_too_long")
    html = format_plain_message(body)
    if not html:
        raise EmptyMessage()
    return subject, html


@transaction.atomic
def conversation_start_by_staff(*, household: Household, author: Actor, service: TownService, subject: str,
                                body: str) -> Conversation:
    """Staff write to one household; the family is told by e-mail and replies in the conversation."""
    subject, _html = _checked(service=service, subject=subject, body=body)
    now = timezone.now()
    conversation = Conversation.objects.create(household=household, service=service, subject=subject,
                                               created_at=now, last_message_at=now)
    _post(conversation=conversation, side=Message.Side.TOWN, author=author, body=body, subject=subject)
    return conversation


def group_message_send(*, author: Actor, service: TownService, subject: str, body: str, recipients: Recipients,
                       idempotency_key: str) -> tuple[GroupMessage, bool]:
    """Queue a message to every household of `recipients`; returns (group message, created).

    The same idempotency key (the form's, a double click) returns the first group message and
    sends nothing more.
    """
    existing = GroupMessage.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    subject, html = _checked(service=service, subject=subject, body=body)
    try:
        with transaction.atomic():
            group = GroupMessage.objects.create(
                service=service, author=signed_in(author), subject=subject, body=html,
                audience=recipients.description[:300], household_ids=recipients.household_ids,
                recipient_count=len(recipients.household_ids), idempotency_key=idempotency_key,
                created_at=timezone.now(),
            )
            from .tasks import group_message_deliver

            send_on_commit(group_message_deliver, group.pk)
    except IntegrityError:  # the same form submitted twice at once: the other request won
        return GroupMessage.objects.get(idempotency_key=idempotency_key), False
    return group, True


def group_message_deliver_batch(*, group_id: int) -> bool:
    """Deliver the next batch of a group message; False once everything is delivered.

    A batch (conversations, messages, progress, its e-mail job) commits together, so a job
    retried after a failure resumes where it stopped and never writes to a household twice.
    """
    with transaction.atomic():
        group = GroupMessage.objects.select_for_update().filter(pk=group_id).first()
        if group is None or group.status == GroupMessage.Status.DONE:
            return False
        batch = group.household_ids[group.sent_count:group.sent_count + GROUP_BATCH]
        now = timezone.now()
        if not batch:
            group.status, group.finished_at = GroupMessage.Status.DONE, now
            group.save(update_fields=["status", "finished_at"])
            return False
        households = list(Household.objects.filter(pk__in=batch).values_list("pk", flat=True))
        conversations = Conversation.objects.bulk_create([
            Conversation(household_id=pk, service_id=group.service_id, subject=group.subject, group=group,
                         created_at=now, last_message_at=now)
            for pk in households
        ])
        Message.objects.bulk_create([
            Message(conversation=c, side=Message.Side.TOWN, author_id=group.author_id, subject=group.subject,
                    body=group.body, created_at=now)
            for c in conversations
        ])
        group.sent_count += len(batch)  # a household deleted meanwhile counts as done
        group.status = GroupMessage.Status.SENDING
        group.save(update_fields=["sent_count", "status"])
        from .tasks import notify_group_batch

        send_on_commit(notify_group_batch, [c.pk for c in conversations])
    return True


@transaction.atomic
def notice_publish(*, author: Actor, title: str, body: str, ends_on: dt.date) -> Notice:
    title = one_line(title)
    if not title:
        raise SubjectRequired()
    if ends_on < town_today():
        raise NoticeEndsInPast()
    check_length(body or "", max_chars=MESSAGE_BODY_MAX_CHARS, field="body", code="message_too_long")
    return Notice.objects.create(title=title[:200], body=format_plain_message(body), ends_on=ends_on,
                                 author=signed_in(author), created_at=timezone.now())


@transaction.atomic
def notice_end(*, notice: Notice) -> Notice:
    """Staff take a notice down now (it was shown until yesterday)."""
    notice.ends_on = town_today() - dt.timedelta(days=1)
    notice.save(update_fields=["ends_on"])
    return notice
