"""Background jobs of the messaging app: tell the other side a new message arrived."""

import dramatiq
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from tenant_apps.accounts.emails import send_templated_mail
from tenant_apps.core.html import plain_text
from tenants.current import require_town
from tenants.urls import town_url

from .models import Conversation, Message


def _family_addresses(conversation: Conversation, *, prefetched: bool = False) -> list[str]:
    addresses: list[str] = []
    guardians = conversation.household.guardians
    for guardian in guardians.all() if prefetched else guardians.select_related("user"):
        user = guardian.user
        address = user.email if user is not None and user.is_active else guardian.email
        if address and address.lower() not in {a.lower() for a in addresses}:
            addresses.append(address)
    return addresses


def _staff_addresses(conversation: Conversation) -> list[str]:
    if conversation.service.email:
        return [conversation.service.email]
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("email")
    return [user.email for user in staff]


@dramatiq.actor(max_retries=3)
def notify_new_message(message_id: int) -> None:
    """E-mail the other side. A medical conversation (or a sensitive service) gets only a link."""
    message = (
        Message.objects.select_related("conversation__service", "conversation__household")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return
    conversation = message.conversation
    town = require_town()
    to_family = message.side == Message.Side.TOWN
    if to_family:
        recipients = _family_addresses(conversation)
        link = town_url(town, "messaging:thread", kwargs={"pk": conversation.pk})
    else:
        recipients = _staff_addresses(conversation)
        link = town_url(town, "messaging_staff:thread", kwargs={"pk": conversation.pk})
    sensitive = conversation.is_sensitive
    context = {
        "town": town,
        "service": conversation.service,
        "to_family": to_family,
        "sensitive": sensitive,
        "subject": None if sensitive else conversation.subject,
        "text": None if sensitive else plain_text(message.body),
        "body_html": None if sensitive else message.body,
        "link": link,
    }
    if to_family:
        subject = _("%(town)s – nouveau message du service %(service)s") % {
            "town": town.name, "service": conversation.service.name}
    else:
        subject = _("Portail famille – nouveau message pour %(service)s") % {"service": conversation.service.name}
    if not sensitive:
        subject = _("%(subject)s : %(conversation)s") % {"subject": subject, "conversation": conversation.subject}
    for address in recipients:
        send_templated_mail(to=address, subject=subject, template="messaging/email/new_message", context=context)


@dramatiq.actor(max_retries=5)
def group_message_deliver(group_id: int) -> None:
    """Write a group message into each household's own conversation, batch after batch."""
    from .services_staff import group_message_deliver_batch

    while group_message_deliver_batch(group_id=group_id):
        pass


@dramatiq.actor(max_retries=3)
def notify_group_batch(conversation_ids: list[int]) -> None:
    """One e-mail per household of a batch of a group message: its guardians, one message."""
    town = require_town()
    conversations = (
        Conversation.objects.filter(pk__in=conversation_ids)
        .select_related("service", "household")
        .prefetch_related("messages", "household__guardians__user")
        .order_by("pk")
    )
    for conversation in conversations:
        first = conversation.messages.all()[0]
        addresses = _family_addresses(conversation, prefetched=True)
        if not addresses:
            continue
        sensitive = conversation.is_sensitive
        context = {
            "town": town, "service": conversation.service, "to_family": True, "sensitive": sensitive,
            "subject": None if sensitive else conversation.subject,
            "text": None if sensitive else plain_text(first.body),
            "body_html": None if sensitive else first.body,
            "link": town_url(town, "messaging:thread", kwargs={"pk": conversation.pk}),
        }
        subject = _("%(town)s – nouveau message du service %(service)s") % {
            "town": town.name, "service": conversation.service.name}
        if not sensitive:
            subject = _("%(subject)s : %(conversation)s") % {"subject": subject, "conversation": conversation.subject}
        send_templated_mail(to=addresses, subject=subject, template="messaging/email/new_message", context=context)
