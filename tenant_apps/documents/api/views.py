"""API of the documents app: the household's documents and their download (same checks as the pages)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.views import APIView

from tenant_apps.core import files
from tenant_apps.core.clock import town_today
from tenant_apps.families.selectors import household_of

from .. import selectors, services
from ..models import STORAGE_FOLDER
from .serializers import DocumentSerializer


class DocumentListView(ListAPIView):
    """Documents visible to the signed-in parent's household, newest first."""

    serializer_class = DocumentSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.documents_of(household_of(self.request.user), town_today())


class DocumentDownloadView(APIView):
    @extend_schema(
        summary="Download a document",
        description="The file itself (local storage) or a 302 redirect to a short-lived presigned URL (S3). "
                    "404 if the household may not see it.",
        responses={**{(200, mime): OpenApiResponse(OpenApiTypes.BINARY) for mime in files.PDF_AND_IMAGES},
                   302: OpenApiResponse(description="Redirect to a presigned URL (S3 storage).")},
    )
    def get(self, request, pk: int):
        household = household_of(request.user)
        document = selectors.document_of(household, pk, town_today())
        response = files.serve(document.file.name, folder=STORAGE_FOLDER, filename=document.original_name or document.title)
        services.document_download_record(document=document, household=household)
        return response
