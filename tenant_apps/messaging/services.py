"""Writes of the messaging app: start a conversation, post a message (either side), mark read,
close a conversation, manage the town's services. New messages notify the other side by
e-mail through a background job, enqueued on commit.

Limits (README, "Limits"): a subject is one line of at most MESSAGE_SUBJECT_MAX_CHARS
characters (line breaks become spaces: it is the notification's mail subject), a body at most
MESSAGE_BODY_MAX_CHARS characters as typed, an attachment ATTACHMENT_MAX_BYTES.
"""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.core import files
from tenant_apps.core.html import format_plain_message
from tenant_apps.core.text import (
    MESSAGE_BODY_MAX_CHARS,
    MESSAGE_SUBJECT_MAX_CHARS,
    check_length,
    one_line,
)
from tenant_apps.families.models import Household
from tenants.outbox.services import send_on_commit

from .errors import ConversationClosed, EmptyMessage, ServiceUnavailable, SubjectRequired
from .models import ATTACHMENT_FOLDER, Conversation, Message, TownService

ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
SUBJECT_MAX = MESSAGE_SUBJECT_MAX_CHARS


def _subject(subject: str) -> str:
    return check_length(one_line(subject), max_chars=SUBJECT_MAX, field="subject", code="subject_too_long")


def _post(*, conversation: Conversation, side: str, author: Actor, body: str, subject: str = "",
          attachment: UploadedFile | None = None) -> Message:
    subject = _subject(subject)
    check_length(body or "", max_chars=MESSAGE_BODY_MAX_CHARS, field="body", code="message_too_long")
    html = format_plain_message(body)
    if not html:
        raise EmptyMessage()
    fields: dict[str, Any] = {}
    if attachment is not None:
        checked = files.check_upload(attachment, allowed=files.PDF_AND_IMAGES, max_bytes=ATTACHMENT_MAX_BYTES)
        fields = {
            "attachment": files.store(checked, ATTACHMENT_FOLDER),
            "attachment_name": checked.original_name,
            "attachment_type": checked.content_type,
        }
    now = timezone.now()
    message = Message.objects.create(
        conversation=conversation, side=side, author=signed_in(author), subject=subject, body=html,
        created_at=now, **fields,
    )
    conversation.last_message_at = now
    conversation.save(update_fields=["last_message_at"])
    from .tasks import notify_new_message

    send_on_commit(notify_new_message, message.pk)
    return message


@transaction.atomic
def conversation_start(
    *,
    household: Household,
    author: Actor,
    service: TownService,
    subject: str,
    body: str,
    attachment: UploadedFile | None = None,
    is_medical: bool = False,
) -> Conversation:
    """A parent writes to one of the town's services."""
    if not service.is_active:
        raise ServiceUnavailable()
    subject = _subject(subject)
    if not subject:
        raise SubjectRequired()
    now = timezone.now()
    conversation = Conversation.objects.create(
        household=household, service=service, subject=subject, is_medical=is_medical,
        created_at=now, last_message_at=now,
    )
    _post(conversation=conversation, side=Message.Side.FAMILY, author=author, body=body, subject=subject,
          attachment=attachment)
    return conversation


@transaction.atomic
def message_post(
    *, conversation: Conversation, side: str, author: Actor, body: str, subject: str = "",
    attachment: UploadedFile | None = None,
) -> Message:
    """A reply in an open conversation, from the family or from the town's service."""
    conversation = Conversation.objects.select_for_update().select_related("service").get(pk=conversation.pk)
    if conversation.is_closed:
        raise ConversationClosed()
    message = _post(conversation=conversation, side=side, author=author, body=body, subject=subject,
                    attachment=attachment)
    # Writing implies having read what came before.
    _mark_read(conversation, side)
    return message


def _mark_read(conversation: Conversation, reader_side: str) -> int:
    return (
        Message.objects.filter(conversation=conversation, read_at__isnull=True)
        .exclude(side=reader_side)
        .update(read_at=timezone.now())
    )


@transaction.atomic
def conversation_mark_read(*, conversation: Conversation, side: str) -> int:
    """The reader (`side`) has seen the other side's messages. Returns how many were unread."""
    return _mark_read(conversation, side)


@transaction.atomic
def conversation_close(*, conversation: Conversation, by: Actor) -> Conversation:
    """Staff close a conversation: no more replies; the family may start a new one."""
    if conversation.is_closed:
        return conversation
    conversation.status = Conversation.Status.CLOSED
    conversation.closed_at = timezone.now()
    conversation.closed_by = signed_in(by)
    conversation.save(update_fields=["status", "closed_at", "closed_by"])
    return conversation


@transaction.atomic
def town_service_save(
    *,
    service: TownService | None = None,
    name: str,
    description: str = "",
    email: str = "",
    is_sensitive: bool = False,
    is_active: bool = True,
    position: int = 0,
) -> TownService:
    service = service or TownService()
    service.name = one_line(name)  # in the notifications' mail subject
    service.description = description.strip()
    service.email = email.strip()
    service.is_sensitive = is_sensitive
    service.is_active = is_active
    service.position = position
    service.save()
    return service
