"""API of the portal app: the home dashboard (same selector as the page)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.core.clock import town_today
from tenant_apps.families.selectors import household_of

from ..selectors import dashboard_for
from .serializers import DashboardSerializer


class DashboardView(APIView):
    @extend_schema(summary="The household's home dashboard", responses=DashboardSerializer)
    def get(self, request):
        dashboard = dashboard_for(household_of(request.user), town_today())
        return Response(DashboardSerializer(dashboard).data)
