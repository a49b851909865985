from django.urls import reverse
from rest_framework import serializers

from ..models import Document


class DocumentSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    is_new = serializers.SerializerMethodField(help_text="Not yet downloaded by the household.")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "title", "category", "category_label", "content_type", "size", "published_on",
                  "unpublished_on", "is_new", "download_url"]

    def get_is_new(self, document) -> bool:
        return not getattr(document, "downloaded", False)

    def get_download_url(self, document) -> str:
        return reverse("api-document-download", kwargs={"pk": document.pk})
