from rest_framework import serializers

from tenant_apps.core.text import MESSAGE_BODY_MAX_CHARS, MESSAGE_SUBJECT_MAX_CHARS

from ..models import Conversation, Message, TownService


class TownServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TownService
        fields = ["id", "name", "description"]


class MessageSerializer(serializers.ModelSerializer):
    body_html = serializers.CharField(source="body", read_only=True, help_text="Sanitised HTML.")
    is_mine = serializers.SerializerMethodField(help_text="Written by the household (\"Moi\").")
    attachment_url = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "side", "is_mine", "subject", "body_html", "created_at", "read_at", "attachment_url"]

    def get_is_mine(self, message) -> bool:
        return message.side == Message.Side.FAMILY

    def get_attachment_url(self, message) -> str | None:
        from django.urls import reverse

        return reverse("messaging:attachment", kwargs={"pk": message.pk}) if message.attachment else None


class ConversationSerializer(serializers.ModelSerializer):
    service = TownServiceSerializer(read_only=True)
    unread = serializers.IntegerField(read_only=True, help_text="Messages from the town not yet read.")

    class Meta:
        model = Conversation
        fields = ["id", "subject", "service", "status", "is_medical", "created_at", "last_message_at", "unread"]


class ConversationDetailSerializer(ConversationSerializer):
    messages = MessageSerializer(many=True, read_only=True, source="thread_messages")

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "messages"]


class ConversationCreateSerializer(serializers.Serializer):
    service = serializers.IntegerField(help_text="Id of one of the town's services (GET messaging/services/).")
    subject = serializers.CharField(max_length=MESSAGE_SUBJECT_MAX_CHARS, help_text="One line (line breaks become spaces).")
    body = serializers.CharField(max_length=MESSAGE_BODY_MAX_CHARS,
                                 help_text="Plain text: shown as typed, line breaks kept.")
    is_medical = serializers.BooleanField(default=False)


class ReplySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MESSAGE_BODY_MAX_CHARS)


class MarkReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True)
