"""Reads of the messaging app. A parent's reads start from their household; staff's from the town."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tenant_apps.core.clock import town_today
from tenant_apps.families.models import Household

from .models import Conversation, GroupMessage, Message, Notice, TownService


def open_services() -> QuerySet[TownService]:
    return TownService.objects.filter(is_active=True).order_by("position", "name")


def open_service(service_id: int) -> TownService:
    service = open_services().filter(pk=service_id).first()
    if service is None:
        raise Http404(_("Service introuvable."))
    return service


def _unread_for(reader_side: str) -> Count:
    return Count("messages", filter=Q(messages__read_at__isnull=True) & ~Q(messages__side=reader_side))


def conversations_of(household: Household) -> QuerySet[Conversation]:
    """The household's conversations, newest activity first, each with `unread` (from the town)."""
    return (
        Conversation.objects.filter(household=household)
        .select_related("service")
        .annotate(unread=_unread_for(Message.Side.FAMILY))
        .order_by("-last_message_at", "-pk")
    )


def conversation_of(household: Household, conversation_id: int) -> Conversation:
    """One of the household's conversations, or 404 (another family's id answers 404)."""
    conversation = conversations_of(household).filter(pk=conversation_id).first()
    if conversation is None:
        raise Http404(_("Conversation introuvable."))
    return conversation


def unread_count_of(household: Household) -> int:
    """Messages from the town the household has not read yet (one query)."""
    return (
        Message.objects.filter(conversation__household=household, read_at__isnull=True)
        .exclude(side=Message.Side.FAMILY)
        .count()
    )


def messages_of(conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.select_related("author").order_by("created_at", "pk")


def message_of_household(household: Household, message_id: int) -> Message:
    message = Message.objects.filter(pk=message_id, conversation__household=household).first()
    if message is None or not message.attachment:
        raise Http404(_("Pièce jointe introuvable."))
    return message


# --- staff -------------------------------------------------------------------------------


def conversations_for_staff(*, service: TownService | None = None,
                            status: str | None = None) -> QuerySet[Conversation]:
    qs = (
        Conversation.objects.select_related("service", "household")
        .annotate(unread=_unread_for(Message.Side.TOWN))
        .order_by("-last_message_at", "-pk")
    )
    if service is not None:
        qs = qs.filter(service=service)
    if status:
        qs = qs.filter(status=status)
    return qs


def conversation_for_staff(conversation_id: int) -> Conversation:
    conversation = conversations_for_staff().filter(pk=conversation_id).first()
    if conversation is None:
        raise Http404(_("Conversation introuvable."))
    return conversation


def services_with_unread() -> QuerySet[TownService]:
    """Every town service with the number of family messages staff have not read."""
    return TownService.objects.annotate(
        unread=Count(
            "conversations__messages",
            filter=Q(conversations__messages__read_at__isnull=True)
            & Q(conversations__messages__side=Message.Side.FAMILY),
        )
    ).order_by("position", "name")


def message_for_staff(message_id: int) -> Message:
    message = Message.objects.filter(pk=message_id).first()
    if message is None or not message.attachment:
        raise Http404(_("Pièce jointe introuvable."))
    return message


def current_notices() -> QuerySet[Notice]:
    """Urgent notices shown to parents: until their last day included, in the town's time zone."""
    return Notice.objects.filter(ends_on__gte=town_today()).order_by("-created_at", "-pk")


def group_messages() -> QuerySet[GroupMessage]:
    return GroupMessage.objects.select_related("service", "author").order_by("-created_at", "-pk")


def group_message_for_staff(group_id: int) -> GroupMessage:
    group = group_messages().filter(pk=group_id).first()
    if group is None:
        raise Http404(_("Message groupé introuvable."))
    return group
