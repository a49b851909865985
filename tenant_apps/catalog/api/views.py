from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView

from tenant_apps.catalog.selectors import active_services

from .serializers import ServiceSerializer


@extend_schema(summary="The town's bookable services with their booking and cancellation deadline rules")
class ServiceListView(ListAPIView):
    serializer_class = ServiceSerializer
    pagination_class = None

    def get_queryset(self):
        return active_services().prefetch_related("periods")
