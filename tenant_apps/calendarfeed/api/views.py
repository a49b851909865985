"""API of the household's calendar address: read it, create or replace it, revoke it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.families.selectors import household_of

from ..models import CalendarFeed
from ..services import calendar_feed_renew, calendar_feed_revoke
from ..views import feed_url


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(allow_null=True, help_text="The private iCalendar address; null when none exists.")
    created_at = serializers.DateTimeField(allow_null=True)


class CalendarFeedView(APIView):
    def _answer(self, request, feed: CalendarFeed | None, code: int = status.HTTP_200_OK) -> Response:
        data = {"url": feed_url(request, feed) if feed else None, "created_at": feed.created_at if feed else None}
        return Response(CalendarFeedSerializer(data).data, status=code)

    @extend_schema(summary="The household's private calendar address", responses=CalendarFeedSerializer)
    def get(self, request):
        return self._answer(request, CalendarFeed.objects.filter(household=household_of(request.user)).first())

    @extend_schema(summary="Create the address, or replace it (the previous one stops working)", request=None,
                   responses={201: CalendarFeedSerializer})
    def post(self, request):
        return self._answer(request, calendar_feed_renew(household=household_of(request.user)),
                            status.HTTP_201_CREATED)

    @extend_schema(summary="Revoke the address", responses={204: None})
    def delete(self, request):
        calendar_feed_revoke(household=household_of(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)
