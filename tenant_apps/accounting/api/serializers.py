from rest_framework import serializers

from ..models import ExportRecord


class ExportRecordSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    created_by = serializers.SerializerMethodField()
    invoice_numbers = serializers.SerializerMethodField()

    class Meta:
        model = ExportRecord
        fields = ["id", "kind", "kind_label", "created_at", "created_by", "run", "period_start", "period_end",
                  "invoice_count", "total", "bordereau_number", "invoice_numbers", "already_exported", "checksum",
                  "filename"]

    def get_created_by(self, record) -> str | None:
        return record.created_by.email if record.created_by else None

    def get_invoice_numbers(self, record) -> list[str]:
        return [invoice.number for invoice in record.invoices.all()]
