"""Staff API of a town's opening: the setup checklist and bulk invitations (/<ville>/api/v1/staff/…)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.catalog.models import Service
from tenant_apps.families.models import InvitationBatch
from tenant_apps.families.services.invitations import invitation_batch_start
from tenants.api import ErrorSerializer
from tenants.current import require_town

from .checklist import setup_checklist


class IsTownStaff(BasePermission):
    staff_only = True  # documented as a 403 for signed-in parents (tenants.api.AutoSchema)

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class ChecklistItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    done = serializers.BooleanField()
    url = serializers.CharField()


class ChecklistSerializer(serializers.Serializer):
    is_open = serializers.BooleanField()
    opened_at = serializers.DateTimeField(allow_null=True)
    opened_by = serializers.CharField()
    items = ChecklistItemSerializer(many=True)


class SetupChecklistView(APIView):
    permission_classes = [IsTownStaff]

    @extend_schema(summary="The town's setup checklist and whether its portal is open", tags=["staff"],
                   responses={200: ChecklistSerializer, 403: OpenApiResponse(ErrorSerializer)})
    def get(self, request):
        town = require_town()
        return Response(ChecklistSerializer({"is_open": town.is_open, "opened_at": town.opened_at,
                                             "opened_by": town.opened_by, "items": setup_checklist()}).data)


class InvitationBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvitationBatch
        fields = ["id", "scope", "service_id", "school", "include_recent", "status", "total", "sent",
                  "skipped_recent", "created_at", "finished_at"]


class InvitationBatchRequestSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["all", "service", "school"])
    service_id = serializers.IntegerField(required=False, allow_null=True)
    school = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")
    include_recent = serializers.BooleanField(required=False, default=False)


class InvitationBatchListView(APIView):
    permission_classes = [IsTownStaff]

    @extend_schema(summary="The last bulk invitations", tags=["staff"], responses=InvitationBatchSerializer(many=True))
    def get(self, request):
        return Response(InvitationBatchSerializer(InvitationBatch.objects.all()[:50], many=True).data)

    @extend_schema(
        summary="Invite every guardian without a password (all, by service, by school)",
        description="Starts a job; poll the returned batch for its progress. Guardians invited in the last "
                    "24 hours are skipped unless `include_recent`.",
        tags=["staff"], request=InvitationBatchRequestSerializer,
        responses={202: InvitationBatchSerializer, 400: OpenApiResponse(ErrorSerializer)},
    )
    def post(self, request):
        payload = InvitationBatchRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        label = ""
        if data["scope"] == InvitationBatch.Scope.SERVICE:
            service = Service.objects.filter(pk=data.get("service_id") or 0).first()
            if service is None:
                return Response({"code": "invalid", "detail": "Prestation inconnue."}, status=400)
            label = service.name
        elif data["scope"] == InvitationBatch.Scope.SCHOOL:
            label = data["school"]
        batch = invitation_batch_start(created_by=request.user, scope=data["scope"], service_id=data.get("service_id"),
                                       filter_label=label, school=data["school"],
                                       include_recent=data["include_recent"])
        return Response(InvitationBatchSerializer(batch).data, status=202)


class InvitationBatchDetailView(APIView):
    permission_classes = [IsTownStaff]

    @extend_schema(summary="A bulk invitation and its progress", tags=["staff"],
                   responses={200: InvitationBatchSerializer, 404: OpenApiResponse(ErrorSerializer)})
    def get(self, request, batch_id: int):
        return Response(InvitationBatchSerializer(get_object_or_404(InvitationBatch, pk=batch_id)).data)
