"""API of the messaging app for parents: the same services and scoping as the pages."""

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.families.models import Household
from tenant_apps.families.selectors import household_of

from .. import selectors, services
from ..models import Conversation, Message
from .serializers import (
    ConversationCreateSerializer,
    ConversationDetailSerializer,
    ConversationSerializer,
    MarkReadSerializer,
    ReplySerializer,
    TownServiceSerializer,
)


def _detail(household: Household, pk: int) -> Conversation:
    """The conversation with its messages as `thread_messages`, which the detail serializer reads."""
    conversation = selectors.conversation_of(household, pk)
    thread = Prefetch("messages", queryset=selectors.messages_of(conversation), to_attr="thread_messages")
    prefetch_related_objects([conversation], thread)
    return conversation


class TownServiceListView(ListAPIView):
    """The town's services a parent can write to."""

    serializer_class = TownServiceSerializer
    pagination_class = None

    def get_queryset(self):
        household_of(self.request.user)
        return selectors.open_services()


class ConversationListView(APIView):
    @extend_schema(summary="The household's conversations", responses=ConversationSerializer(many=True))
    def get(self, request):
        conversations = selectors.conversations_of(household_of(request.user))
        return Response(ConversationSerializer(conversations, many=True).data)

    @extend_schema(summary="Write to a service (start a conversation)", request=ConversationCreateSerializer,
                   responses={201: ConversationDetailSerializer})
    def post(self, request):
        household = household_of(request.user)
        payload = ConversationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        conversation = services.conversation_start(
            household=household, author=request.user, service=selectors.open_service(data["service"]),
            subject=data["subject"], body=data["body"], is_medical=data["is_medical"],
        )
        return Response(ConversationDetailSerializer(_detail(household, conversation.pk)).data,
                        status=status.HTTP_201_CREATED)


class ConversationDetailView(APIView):
    @extend_schema(summary="A conversation and its messages (does not mark them read)",
                   responses=ConversationDetailSerializer)
    def get(self, request, pk: int):
        return Response(ConversationDetailSerializer(_detail(household_of(request.user), pk)).data)


class ConversationReplyView(APIView):
    @extend_schema(summary="Reply in a conversation", request=ReplySerializer,
                   responses={201: ConversationDetailSerializer})
    def post(self, request, pk: int):
        household = household_of(request.user)
        conversation = selectors.conversation_of(household, pk)
        payload = ReplySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.message_post(conversation=conversation, side=Message.Side.FAMILY, author=request.user,
                              body=payload.validated_data["body"], subject="Re")
        return Response(ConversationDetailSerializer(_detail(household, pk)).data, status=status.HTTP_201_CREATED)


class ConversationMarkReadView(APIView):
    @extend_schema(summary="Mark the town's messages of a conversation as read", request=None,
                   responses=MarkReadSerializer)
    def post(self, request, pk: int):
        conversation = selectors.conversation_of(household_of(request.user), pk)
        marked = services.conversation_mark_read(conversation=conversation, side=Message.Side.FAMILY)
        return Response({"marked": marked})
