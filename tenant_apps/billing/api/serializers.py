from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..hooks import settlement_notes
from ..models import Invoice, InvoiceLine, Payment, PaymentAllocation


class InvoiceFilterSerializer(serializers.Serializer):
    """The query string of the invoice list (validated: `?year=0` is a 400, not a crash)."""

    year = serializers.IntegerField(
        required=False, min_value=1, max_value=9999, help_text="Year of the billed period, e.g. 2019",
        error_messages={"invalid": _("L'année doit être un nombre (ex. 2019)."),
                        "min_value": _("L'année doit être comprise entre 1 et 9999."),
                        "max_value": _("L'année doit être comprise entre 1 et 9999."),
                        "max_string_length": _("L'année doit être comprise entre 1 et 9999.")},
    )
    status = serializers.ChoiceField(required=False, choices=Invoice.Status.values,
                                     error_messages={"invalid_choice": _("Statut inconnu : {input}.")})


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = ["child_name", "service_name", "quantity", "unit_price", "amount"]


class InvoiceSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    remaining = serializers.DecimalField(max_digits=10, decimal_places=2)
    pdf_url = serializers.SerializerMethodField()
    can_pay = serializers.SerializerMethodField()
    direct_debit = serializers.SerializerMethodField(
        help_text="How the invoice is settled when it is by direct debit (\"Prélèvement le 05/01/2027\"), else null."
    )

    class Meta:
        model = Invoice
        fields = ["id", "number", "period_start", "period_end", "issued_on", "due_on", "total", "amount_paid",
                  "remaining", "status", "status_label", "pdf_url", "can_pay", "direct_debit"]

    def get_pdf_url(self, invoice) -> str:
        from django.urls import reverse

        return self.context["request"].build_absolute_uri(reverse("api-invoice-pdf", args=[invoice.pk]))

    def _settlement(self, invoice) -> str | None:
        notes = self.context.get("settlements")
        if notes is None:
            notes = settlement_notes([invoice])
        return notes.get(invoice.pk)

    def get_can_pay(self, invoice) -> bool:
        return (bool(self.context.get("online_payment")) and invoice.status == Invoice.Status.ISSUED
                and invoice.remaining > 0 and not self._settlement(invoice))

    def get_direct_debit(self, invoice) -> str | None:
        return self._settlement(invoice)


class AllocationSerializer(serializers.ModelSerializer):
    """A part of a payment that paid an invoice."""

    invoice = serializers.IntegerField(source="invoice_id")
    invoice_number = serializers.CharField(source="invoice.number")

    class Meta:
        model = PaymentAllocation
        fields = ["invoice", "invoice_number", "amount", "from_credit"]


class PaymentSerializer(serializers.ModelSerializer):
    method_label = serializers.CharField(source="get_method_display")
    receipt_number = serializers.CharField()
    allocations = AllocationSerializer(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "receipt_number", "household", "amount", "method", "method_label", "paid_at", "reference",
                  "cheque_number", "bank", "reversed_at", "reversal_reason", "allocations"]


class InvoicePaymentSerializer(serializers.ModelSerializer):
    """On a parent's invoice: what paid it (a payment may pay several invoices)."""

    payment = serializers.IntegerField(source="payment_id")
    method = serializers.CharField(source="payment.method")
    method_label = serializers.CharField(source="payment.get_method_display")
    paid_at = serializers.DateTimeField(source="payment.paid_at")
    reversed = serializers.SerializerMethodField()

    class Meta:
        model = PaymentAllocation
        fields = ["payment", "amount", "from_credit", "method", "method_label", "paid_at", "reversed"]

    def get_reversed(self, allocation) -> bool:
        return allocation.payment.reversed_at is not None


class InvoiceDetailSerializer(InvoiceSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)
    payments = InvoicePaymentSerializer(source="allocations", many=True, read_only=True)

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "collection_method", "payer_name", "payer_address", "lines",
                  "payments"]


class PaymentStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["url", "form", "html"], help_text="How to reach the provider's page.")
    url = serializers.CharField(allow_blank=True, help_text="Open this address (kind=url), or submit the form to it.")
    method = serializers.CharField(allow_blank=True)
    # The serializer's metaclass pops declared fields, so Serializer.fields stays DRF's property at run time.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(), help_text="Form fields (kind=form).")
    html = serializers.CharField(allow_blank=True)
    transaction = serializers.CharField(help_text="The portal's reference of this payment attempt.")


class TariffBracketSerializer(serializers.Serializer):
    qf_min = serializers.IntegerField()
    qf_max = serializers.IntegerField(allow_null=True, help_text="null: no upper bound (the top bracket).")
    price = serializers.DecimalField(max_digits=8, decimal_places=2)


class HouseholdTariffSerializer(serializers.Serializer):
    """A service's tariff on the given day, with the unit price this household pays."""

    service_id = serializers.IntegerField()
    service_name = serializers.CharField()
    mode = serializers.ChoiceField(choices=["flat", "qf"])
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    unit_price = serializers.DecimalField(max_digits=8, decimal_places=2,
                                          help_text="The price of one unit (meal, day) for this household.")
    applied_bracket = TariffBracketSerializer(allow_null=True, help_text="The household's QF bracket (qf mode).")
    brackets = TariffBracketSerializer(many=True, help_text="Every bracket of the tariff (empty in flat mode).")
    prices_label = serializers.CharField(help_text="The tariff as printed on the town's price list, in French.")
