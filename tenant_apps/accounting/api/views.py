"""Accounting API for staff: the exports made (read-only) and their files."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.api import ErrorSerializer

from ..models import ExportRecord
from .serializers import ExportRecordSerializer

STAFF_ONLY = OpenApiResponse(ErrorSerializer, description="Refused: only the town's gestionnaires see the exports.")


class ExportListView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="Accounting exports made by staff (newest first)", responses={200: ExportRecordSerializer(many=True), 403: STAFF_ONLY})
    def get(self, request):
        records = ExportRecord.objects.select_related("created_by").prefetch_related("invoices")[:200]
        return Response(ExportRecordSerializer(records, many=True).data)


class ExportDetailView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="One accounting export", responses={200: ExportRecordSerializer, 403: STAFF_ONLY})
    def get(self, request, record_id: int):
        return Response(ExportRecordSerializer(get_object_or_404(ExportRecord, pk=record_id)).data)


class ExportFileView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="The exported file, as sent", responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 403: STAFF_ONLY})
    def get(self, request, record_id: int):
        record = get_object_or_404(ExportRecord, pk=record_id)
        return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.filename,
                            content_type="application/octet-stream")
