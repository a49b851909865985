"""Billing API for staff: record a counter payment (allocated), reverse one, list overdue invoices."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.families.models import Household
from tenants.api import ErrorSerializer

from .. import services
from ..errors import InvalidAllocation
from ..forms import COUNTER_METHOD_CHOICES
from ..models import Invoice, Payment
from .serializers import PaymentSerializer


class AllocationInputSerializer(serializers.Serializer):
    invoice = serializers.IntegerField(help_text="Invoice id (of the same household).")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)


class CounterPaymentInputSerializer(serializers.Serializer):
    household = serializers.IntegerField()
    method = serializers.ChoiceField(choices=[value for value, _label in COUNTER_METHOD_CHOICES])
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    cheque_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    bank = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    allocations = AllocationInputSerializer(many=True, required=False, allow_null=True, default=None,
                                            help_text="Omitted: the oldest invoices due are paid first.")


class OverdueInvoiceSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.name")
    remaining = serializers.DecimalField(max_digits=10, decimal_places=2)
    reminders = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "number", "household", "due_on", "total", "amount_paid", "remaining", "reminders"]

    def get_reminders(self, invoice) -> list[dict]:
        return [{"level": r.level, "sent_at": r.sent_at} for r in invoice.reminders.all()]


class StaffCounterPaymentView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        summary="Record a payment received at the counter (staff)",
        request=CounterPaymentInputSerializer,
        responses={201: PaymentSerializer, 400: OpenApiResponse(ErrorSerializer), 404: OpenApiResponse(ErrorSerializer)},
    )
    def post(self, request):
        data = CounterPaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        household = Household.objects.filter(pk=values["household"]).first()
        if household is None:
            raise InvalidAllocation("Foyer introuvable.")
        allocations = None
        if values["allocations"]:
            invoices = Invoice.objects.in_bulk([a["invoice"] for a in values["allocations"]])
            if len(invoices) != len({a["invoice"] for a in values["allocations"]}):
                raise InvalidAllocation("Facture introuvable.")
            allocations = [(invoices[a["invoice"]], a["amount"]) for a in values["allocations"]]
        payment = services.payment_record(
            household=household, method=values["method"], amount=values["amount"], allocations=allocations,
            reference=values["reference"], cheque_number=values["cheque_number"], bank=values["bank"],
            actor=request.user,
        )
        return Response(PaymentSerializer(payment).data, status=201)


class StaffOverdueInvoicesView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="Overdue invoices with their reminders (staff)", responses=OverdueInvoiceSerializer(many=True))
    def get(self, request):
        return Response(OverdueInvoiceSerializer(services.overdue_invoices()[:500], many=True).data)


class StaffPaymentView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(summary="One payment with its allocations (staff)", responses=PaymentSerializer)
    def get(self, request, payment_id: int):
        payment = Payment.objects.filter(pk=payment_id).first()
        if payment is None:
            return Response({"code": "not_found", "detail": "Paiement introuvable."}, status=404)
        return Response(PaymentSerializer(payment).data)

