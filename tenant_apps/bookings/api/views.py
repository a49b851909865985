"""Bookings REST API: the household's week grid, set/unset one booking, bulk preview and apply.

Every endpoint starts from the signed-in guardian's household (another family's child: 404)
and calls the same service functions as the portal pages.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.bookings import selectors, services
from tenant_apps.bookings.models import BookingChange
from tenant_apps.catalog.models import Service
from tenant_apps.core.clock import town_today
from tenant_apps.families.selectors import child_of, household_and_children_of, household_of
from tenants.api import ErrorSerializer

from .serializers import (
    BookingSerializer,
    BookingTargetSerializer,
    BulkPlanSerializer,
    BulkRequestSerializer,
    WeekSerializer,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Refused: deadline_passed, not_enrolled, closed_day…"),
    404: OpenApiResponse(ErrorSerializer, description="Unknown child (or another family's) or service"),
    409: OpenApiResponse(ErrorSerializer, description="service_full or invoiced"),
}


def _service(pk: int) -> Service:
    service = Service.objects.filter(pk=pk, is_active=True).first()
    if service is None:
        raise Http404(_("Prestation introuvable."))
    return service


class WeekView(APIView):
    @extend_schema(
        summary="The household's booking grid for one week",
        parameters=[OpenApiParameter("semaine", str, description="ISO week, e.g. 2026-W48 (default: this week)")],
        responses={200: WeekSerializer},
    )
    def get(self, request):
        household = household_of(request.user)
        today = town_today()
        monday = selectors.parse_week(request.query_params.get("semaine"), today)
        grid = selectors.week_grid(household, monday)
        return Response(WeekSerializer({
            "week": selectors.week_param(monday), "monday": monday, "days": grid.days,
            "deadline_message": grid.deadline_message, "children": grid.children,
        }).data)


class BookingSetView(APIView):
    @extend_schema(summary="Book one day of a service for a child", request=BookingTargetSerializer,
                   responses={200: BookingSerializer, **ERRORS})
    def post(self, request):
        target = BookingTargetSerializer(data=request.data)
        target.is_valid(raise_exception=True)
        child = child_of(household_of(request.user), target.validated_data["child"])
        booking = services.booking_set(child=child, service=_service(target.validated_data["service"]),
                                       day=target.validated_data["date"], actor=request.user,
                                       source=BookingChange.Source.API)
        return Response(BookingSerializer(booking).data)


class BookingUnsetView(APIView):
    @extend_schema(summary="Cancel the booking of one day", request=BookingTargetSerializer,
                   responses={200: BookingSerializer, 204: None, **ERRORS})
    def post(self, request):
        target = BookingTargetSerializer(data=request.data)
        target.is_valid(raise_exception=True)
        child = child_of(household_of(request.user), target.validated_data["child"])
        booking = services.booking_unset(child=child, service=_service(target.validated_data["service"]),
                                         day=target.validated_data["date"], actor=request.user,
                                         source=BookingChange.Source.API)
        if booking is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(BookingSerializer(booking).data)


class _BulkView(APIView):
    def _arguments(self, request) -> dict:
        payload = BulkRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        _household, children = household_and_children_of(request.user)
        mine = {child.pk: child for child in children}  # one query for all of them
        if any(item["child"] not in mine for item in data["children"]):
            raise Http404(_("Enfant introuvable."))
        return {
            "service": _service(data["service"]),
            "weekdays_by_child": {mine[item["child"]]: item["weekdays"] for item in data["children"]},
            "start": data["start"], "end": data["end"], "action": data["action"], "criterion": data["criterion"],
        }


class BulkPreviewView(_BulkView):
    @extend_schema(summary="Preview a bulk booking: what would be created, cancelled and skipped (with codes)",
                   request=BulkRequestSerializer, responses={200: BulkPlanSerializer, **ERRORS})
    def post(self, request):
        plan = services.bookings_bulk_preview(actor=request.user, **self._arguments(request))
        return Response(plan.as_dict())


class BulkApplyView(_BulkView):
    @extend_schema(summary="Apply a bulk booking in one transaction (invoiced bookings are never touched)",
                   request=BulkRequestSerializer, responses={200: BulkPlanSerializer, **ERRORS})
    def post(self, request):
        plan = services.bookings_bulk_apply(actor=request.user, source=BookingChange.Source.API,
                                            **self._arguments(request))
        return Response(plan.as_dict())
