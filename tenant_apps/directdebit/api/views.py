"""Direct debit API: the parent's mandate (status, request) and, for staff, the mandates to
validate or refuse. Same services as the pages."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.families.selectors import household_of
from tenants.api import ErrorSerializer

from .. import selectors, services
from ..models import DirectDebitSettings, Mandate
from .serializers import (
    MandateRefuseSerializer,
    MandateRequestSerializer,
    MandateSerializer,
    MandateStatusSerializer,
    MandateValidateSerializer,
)

STAFF_ONLY = OpenApiResponse(ErrorSerializer, description="Not a member of the town's staff.")


class HouseholdMandateView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(summary="Whether the town offers direct debit, and the household's mandate",
                   responses=MandateStatusSerializer)
    def get(self, request):
        mandate = selectors.mandate_of(household_of(request.user))
        return Response(MandateStatusSerializer({
            "available": DirectDebitSettings.current().enabled, "mandate": mandate}).data)

    @extend_schema(
        summary="Ask for direct debit (IBAN and the signed mandate PDF, or the town's paper form)",
        request={"multipart/form-data": MandateRequestSerializer},
        responses={201: MandateSerializer, 400: OpenApiResponse(ErrorSerializer), 409: OpenApiResponse(ErrorSerializer)},
    )
    def post(self, request):
        household = household_of(request.user)
        data = MandateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mandate = services.mandate_request(household=household, requested_by=request.user, **data.validated_data)
        return Response(MandateSerializer(mandate).data, status=201)


class StaffMandateListView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="Mandates of the town (staff), by status",
                   parameters=[OpenApiParameter("status", str, enum=Mandate.Status.values, required=False)],
                   responses={200: MandateSerializer(many=True), 403: STAFF_ONLY})
    def get(self, request):
        status = request.query_params.get("status", "")
        mandates = selectors.mandates_for_staff(status if status in Mandate.Status.values else "")
        return Response(MandateSerializer(mandates, many=True).data)


class StaffMandateValidateView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="Validate a mandate request (staff); the family is told by e-mail",
                   request=MandateValidateSerializer,
                   responses={200: MandateSerializer, 403: STAFF_ONLY, 409: OpenApiResponse(ErrorSerializer)})
    def post(self, request, mandate_id: int):
        mandate = get_object_or_404(Mandate, pk=mandate_id)
        data = MandateValidateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mandate = services.mandate_validate(mandate=mandate, validated_by=request.user, **data.validated_data)
        return Response(MandateSerializer(mandate).data)


class StaffMandateRefuseView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="Refuse a mandate request with a reason (staff); the family is told by e-mail",
                   request=MandateRefuseSerializer,
                   responses={200: MandateSerializer, 403: STAFF_ONLY, 409: OpenApiResponse(ErrorSerializer)})
    def post(self, request, mandate_id: int):
        mandate = get_object_or_404(Mandate, pk=mandate_id)
        data = MandateRefuseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mandate = services.mandate_refuse(mandate=mandate, refused_by=request.user, **data.validated_data)
        return Response(MandateSerializer(mandate).data)
