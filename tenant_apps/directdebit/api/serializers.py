from rest_framework import serializers

from ..models import Mandate


class MandateSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    iban = serializers.CharField(source="iban_masked", help_text="Masked: FR76 **** … 189.")
    household = serializers.CharField(source="household.name")

    class Meta:
        model = Mandate
        fields = ["id", "rum", "status", "status_label", "household", "debtor_name", "iban", "bic", "signed_on",
                  "sequence", "paper_form", "rejects", "refusal_reason", "created_at"]


class MandateStatusSerializer(serializers.Serializer):
    available = serializers.BooleanField(help_text="Whether the town offers direct debit.")
    mandate = MandateSerializer(allow_null=True, help_text="The household's live (else latest) mandate, or null.")


class MandateRequestSerializer(serializers.Serializer):
    debtor_name = serializers.CharField(max_length=70)
    iban = serializers.CharField(max_length=50)
    bic = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    paper_form = serializers.BooleanField(default=False, help_text="True: the family brings the town's paper form.")
    document = serializers.FileField(required=False, help_text="The signed mandate, PDF (unless paper_form).")
    signed_on = serializers.DateField(required=False, allow_null=True)


class MandateValidateSerializer(serializers.Serializer):
    signed_on = serializers.DateField(required=False, allow_null=True)


class MandateRefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
