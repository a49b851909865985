from django.urls import reverse
from rest_framework import serializers


class DashboardChildSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class ChildBookingsSerializer(serializers.Serializer):
    child = DashboardChildSerializer()
    services = serializers.ListField(child=serializers.CharField())


class DashboardSerializer(serializers.Serializer):
    today = serializers.DateField()
    recent_documents = serializers.IntegerField(
        help_text="Documents published in the last 30 days and not yet downloaded by the household.")
    unread_messages = serializers.IntegerField(help_text="Messages from the town not yet read.")
    children = DashboardChildSerializer(many=True)
    unpaid_invoices = serializers.IntegerField(allow_null=True, help_text="null: not available in this version.")
    todays_bookings = ChildBookingsSerializer(many=True, allow_null=True,
                                              help_text="null: not available in this version.")
    links = serializers.SerializerMethodField()

    def get_links(self, dashboard) -> dict[str, str]:
        return {
            "documents": reverse("api-documents"),
            "conversations": reverse("api-conversations"),
        }
