"""Staff API of the messaging app: write to one household, send a group message and follow its
progress. Parents' side: the urgent notices of their home page."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.catalog.models import Service
from tenant_apps.core.text import MESSAGE_BODY_MAX_CHARS, MESSAGE_SUBJECT_MAX_CHARS
from tenant_apps.families.models import Household
from tenants.api import ErrorSerializer

from .. import audiences, selectors, services_staff
from ..models import GroupMessage, Notice, TownService

_BODY_HELP = "Plain text: shown as typed, line breaks kept."


class StaffConversationCreateSerializer(serializers.Serializer):
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all())
    service = serializers.PrimaryKeyRelatedField(queryset=TownService.objects.filter(is_active=True),
                                                 help_text="The town service the message is sent from.")
    subject = serializers.CharField(max_length=MESSAGE_SUBJECT_MAX_CHARS)
    body = serializers.CharField(max_length=MESSAGE_BODY_MAX_CHARS, help_text=_BODY_HELP)


class StaffConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    household = serializers.IntegerField(source="household_id")
    service = serializers.IntegerField(source="service_id")
    subject = serializers.CharField()


class GroupMessageCreateSerializer(serializers.Serializer):
    audience = serializers.CharField(help_text="all, services, school, class, or a registered group (unpaid).")
    services = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all(), many=True, required=False,
                                                  help_text="For audience=services: enrolled this school year.")
    school = serializers.CharField(required=False, allow_blank=True, default="")
    school_class = serializers.CharField(required=False, allow_blank=True, default="")
    service = serializers.PrimaryKeyRelatedField(queryset=TownService.objects.filter(is_active=True))
    subject = serializers.CharField(max_length=MESSAGE_SUBJECT_MAX_CHARS)
    body = serializers.CharField(max_length=MESSAGE_BODY_MAX_CHARS, help_text=_BODY_HELP)
    idempotency_key = serializers.CharField(max_length=64,
                                            help_text="Sending the same key again returns the first send.")


class GroupMessageSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = GroupMessage
        fields = ["id", "subject", "audience", "recipient_count", "sent_count", "percent", "status", "created_at",
                  "finished_at"]


class NoticeSerializer(serializers.ModelSerializer):
    body_html = serializers.CharField(source="body", read_only=True, help_text="Sanitised HTML.")

    class Meta:
        model = Notice
        fields = ["id", "title", "body_html", "ends_on", "created_at"]


class StaffConversationCreateView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="Staff write to one household", request=StaffConversationCreateSerializer,
                   responses={201: StaffConversationSerializer})
    def post(self, request):
        payload = StaffConversationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        conversation = services_staff.conversation_start_by_staff(author=request.user, **payload.validated_data)
        return Response(StaffConversationSerializer(conversation).data, status=status.HTTP_201_CREATED)


class GroupMessageCreateView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="Send a message to a group of households (a job)", request=GroupMessageCreateSerializer,
                   responses={201: GroupMessageSerializer, 200: GroupMessageSerializer})
    def post(self, request):
        payload = GroupMessageCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        recipients = audiences.recipients(code=data["audience"], service_ids=[s.pk for s in data.get("services", [])],
                                          school=data["school"], school_class=data["school_class"])
        group, created = services_staff.group_message_send(
            author=request.user, service=data["service"], subject=data["subject"], body=data["body"],
            recipients=recipients, idempotency_key=data["idempotency_key"])
        return Response(GroupMessageSerializer(group).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class GroupMessageDetailView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="A group message's progress", responses={
        200: GroupMessageSerializer, 403: OpenApiResponse(ErrorSerializer, description="Staff only.")})
    def get(self, request, pk: int):
        return Response(GroupMessageSerializer(selectors.group_message_for_staff(pk)).data)


class NoticeListView(APIView):
    @extend_schema(summary="Urgent notices shown on the parents' home page", responses=NoticeSerializer(many=True))
    def get(self, request):
        return Response(NoticeSerializer(selectors.current_notices(), many=True).data)
