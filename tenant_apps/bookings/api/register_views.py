"""REST API of the register and of absences.

Staff (is_staff): the day's register of a service, one tap, "Tous présents". Parents: their
household's absences and a new declaration (another family's child: 404), the same services as
the pages.
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.bookings import absences, register, services
from tenant_apps.bookings.absence_forms import CertificateField
from tenant_apps.bookings.models import Absence, Booking, BookingChange
from tenant_apps.bookings.selectors import attendance_sheet
from tenant_apps.catalog.models import Service
from tenant_apps.core.errors import UploadRejected
from tenant_apps.core.files import check_upload
from tenant_apps.families.selectors import child_of, household_of
from tenants.api import ErrorSerializer
from tenants.parsers import JSONParser

from .views import ERRORS

STAFF_ERRORS = {**ERRORS, 403: OpenApiResponse(ErrorSerializer, description="Not a staff member of the town")}


class RegisterRowSerializer(serializers.Serializer):
    booking = serializers.IntegerField(source="booking.pk")
    child = serializers.IntegerField(source="child.pk")
    first_name = serializers.CharField(source="child.first_name")
    last_name = serializers.CharField(source="child.last_name")
    attendance = serializers.CharField(source="booking.attendance")
    unbooked_attendance = serializers.BooleanField(source="booking.unbooked_attendance")
    allergies = serializers.CharField()
    care_plan = serializers.BooleanField()
    diet = serializers.CharField()
    absence_status = serializers.CharField(source="booking.absence.status", default=None, allow_null=True)


class CountsSerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    present = serializers.IntegerField()
    absent = serializers.IntegerField()
    unknown = serializers.IntegerField()


class RegisterDaySerializer(serializers.Serializer):
    rows = RegisterRowSerializer(many=True)
    counts = CountsSerializer()


class TapAnswerSerializer(serializers.Serializer):
    row = RegisterRowSerializer()
    counts = CountsSerializer()


class AllPresentAnswerSerializer(serializers.Serializer):
    changed = serializers.IntegerField()
    counts = CountsSerializer()


class TapSerializer(serializers.Serializer):
    booking = serializers.IntegerField()
    attendance = serializers.ChoiceField(choices=Booking.Attendance.choices)


class ServiceDaySerializer(serializers.Serializer):
    service = serializers.IntegerField()
    date = serializers.DateField()


def _service_day(data) -> tuple[Service, dt.date]:
    return get_object_or_404(Service, pk=data["service"]), data["date"]


class RegisterView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="Staff: the register of a service on a day (rows and counts)",
                   parameters=[OpenApiParameter("service", int), OpenApiParameter("date", dt.date)],
                   responses={200: RegisterDaySerializer, **STAFF_ERRORS})
    def get(self, request):
        target = ServiceDaySerializer(data=request.query_params)
        target.is_valid(raise_exception=True)
        service, day = _service_day(target.validated_data)
        return Response({"rows": RegisterRowSerializer(attendance_sheet(service, day), many=True).data,
                         "counts": CountsSerializer(register.register_counts(service, day)).data})


class RegisterTapView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="Staff: mark one child (one tap); answers the row and the day's counts",
                   request=TapSerializer, responses={200: TapAnswerSerializer, **STAFF_ERRORS})
    def post(self, request):
        tap = TapSerializer(data=request.data)
        tap.is_valid(raise_exception=True)
        booking = get_object_or_404(Booking.objects.select_related("service"), pk=tap.validated_data["booking"],
                                    status=Booking.Status.BOOKED)
        services.attendance_mark(booking=booking, attendance=tap.validated_data["attendance"], actor=request.user,
                                 source=BookingChange.Source.API)
        row = attendance_sheet(booking.service, booking.date, only=booking.pk)[0]
        return Response({"row": RegisterRowSerializer(row).data,
                         "counts": CountsSerializer(register.register_counts(booking.service, booking.date)).data})


class RegisterAllPresentView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="Staff: « Tous présents » (every child not marked yet becomes present)",
                   request=ServiceDaySerializer, responses={200: AllPresentAnswerSerializer, **STAFF_ERRORS})
    def post(self, request):
        target = ServiceDaySerializer(data=request.data)
        target.is_valid(raise_exception=True)
        service, day = _service_day(target.validated_data)
        changed = register.register_all_present(service=service, day=day, actor=request.user,
                                                source=BookingChange.Source.API)
        return Response({"changed": changed, "counts": CountsSerializer(register.register_counts(service, day)).data})


class AbsenceSerializer(serializers.ModelSerializer):
    has_certificate = serializers.SerializerMethodField()

    class Meta:
        model = Absence
        fields = ["id", "child", "start", "end", "reason", "comment", "status", "certificate_due", "has_certificate",
                  "decision_note"]

    def get_has_certificate(self, absence) -> bool:
        return bool(absence.certificate)


class AbsenceRequestSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    reason = serializers.ChoiceField(choices=Absence.Reason.choices, default=Absence.Reason.ILLNESS)
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    certificate = serializers.FileField(required=False)


class AbsencesView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(summary="The household's declared absences", responses={200: AbsenceSerializer(many=True)})
    def get(self, request):
        household = household_of(request.user)
        listed = Absence.objects.filter(child__household=household).order_by("-start", "-pk")[:100]
        return Response(AbsenceSerializer(listed, many=True).data)

    @extend_schema(summary="Declare a child absent (sick…) from today on, even past the deadline; "
                           "multipart with an optional certificate (PDF, JPEG, PNG)",
                   request=AbsenceRequestSerializer, responses={201: AbsenceSerializer, **ERRORS})
    def post(self, request):
        payload = AbsenceRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        child = child_of(household_of(request.user), data["child"])
        certificate = None
        if data.get("certificate"):
            try:
                certificate = check_upload(data["certificate"], max_bytes=CertificateField.max_bytes)
            except UploadRejected as error:
                raise serializers.ValidationError({"certificate": [error.message]}) from None
        absence = absences.absence_declare(child=child, start=data["start"], end=data["end"], reason=data["reason"],
                                           comment=data["comment"], certificate=certificate, actor=request.user,
                                           source=BookingChange.Source.API)
        return Response(AbsenceSerializer(absence).data, status=201)


