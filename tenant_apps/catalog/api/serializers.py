from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenant_apps.catalog.models import Service, ServicePeriod


class ServicePeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServicePeriod
        fields = ["label", "start", "end", "closes_at"]


class DeadlineRuleSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=Service.DeadlineMode.choices)
    # "08:30": a wall-clock time of the town, not an RFC 3339 `time` (which needs seconds and an offset).
    time = serializers.RegexField(r"^\d{2}:\d{2}$", help_text="Time of day in the town, HH:MM.")
    days = serializers.IntegerField()
    day_kind = serializers.ChoiceField(choices=Service.DayKind.choices)


class ServiceSerializer(serializers.ModelSerializer):
    booking_deadline = serializers.SerializerMethodField()
    cancellation_deadline = serializers.SerializerMethodField()
    deadline_label = serializers.CharField(read_only=True)
    periods = ServicePeriodSerializer(many=True, read_only=True)

    class Meta:
        model = Service
        fields = ["id", "name", "kind", "weekdays", "calendar", "capacity", "enrolment_required", "colour",
                  "position", "deadline_label", "booking_deadline", "cancellation_deadline", "periods"]

    @staticmethod
    def _rule(mode, time, days, day_kind):
        return {"mode": mode, "time": time.strftime("%H:%M"), "days": days, "day_kind": day_kind}

    @extend_schema_field(DeadlineRuleSerializer)
    def get_booking_deadline(self, service):
        return self._rule(service.deadline_mode, service.deadline_time, service.deadline_days,
                          service.deadline_day_kind)

    @extend_schema_field(DeadlineRuleSerializer(allow_null=True))
    def get_cancellation_deadline(self, service):
        if not service.cancellation_mode:
            return None
        return self._rule(service.cancellation_mode, service.cancellation_time or service.deadline_time,
                          service.cancellation_days, service.cancellation_day_kind)
