"""API shapes of bookings. Serializers validate input shape only; the rules live in services.py."""

from rest_framework import serializers

from tenant_apps.bookings.models import Booking
from tenant_apps.bookings.rules import REFUSALS
from tenant_apps.bookings.services import BulkAction, Criterion


class BookingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Booking
        fields = ["id", "child", "service", "date", "status", "attendance", "invoiced"]


class BookingTargetSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    service = serializers.IntegerField()
    date = serializers.DateField()


class CellSerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    state = serializers.ChoiceField(choices=["locked", "available", "booked", "full"])
    reason = serializers.CharField()
    can_toggle = serializers.BooleanField()


class RowSerializer(serializers.Serializer):
    service = serializers.IntegerField(source="service.pk")
    service_name = serializers.CharField(source="service.name")
    deadline_label = serializers.CharField(source="deadline_text")
    cells = CellSerializer(many=True)


class ChildWeekSerializer(serializers.Serializer):
    child = serializers.IntegerField(source="child.pk")
    first_name = serializers.CharField(source="child.first_name")
    last_name = serializers.CharField(source="child.last_name")
    rows = RowSerializer(many=True)


class WeekSerializer(serializers.Serializer):
    week = serializers.CharField()
    monday = serializers.DateField()
    days = serializers.ListField(child=serializers.DateField())
    deadline_message = serializers.CharField()
    children = ChildWeekSerializer(many=True)


class BulkChildSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    weekdays = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6), allow_empty=False)


class BulkRequestSerializer(serializers.Serializer):
    service = serializers.IntegerField()
    children = BulkChildSerializer(many=True, allow_empty=False)
    start = serializers.DateField()
    end = serializers.DateField()
    action = serializers.ChoiceField(choices=[c for c, _label in BulkAction.CHOICES], default=BulkAction.ADD)
    criterion = serializers.ChoiceField(choices=Criterion.ACCEPTED, default=Criterion.NONE)


class PlannedDaySerializer(serializers.Serializer):
    child = serializers.IntegerField()
    date = serializers.DateField()


class SkippedDaySerializer(PlannedDaySerializer):
    code = serializers.ChoiceField(choices=[refusal.code for refusal in REFUSALS])


class BulkPlanSerializer(serializers.Serializer):
    to_create = PlannedDaySerializer(many=True)
    to_cancel = PlannedDaySerializer(many=True)
    skipped = SkippedDaySerializer(many=True)
    unchanged = serializers.IntegerField()
    applied = serializers.BooleanField()
