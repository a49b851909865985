"""Invoices API for parents: list (by year, status), detail, PDF, start an online payment."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.payments.selectors import provider_config_for_current_town
from tenant_apps.families.selectors import household_of

from .. import selectors, services
from ..models import Invoice
from ..views import local_provider_url, payment_urls, pdf_response
from .serializers import InvoiceDetailSerializer, InvoiceSerializer, PaymentStartSerializer


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


class InvoiceListView(APIView):
    @extend_schema(
        summary="The household's invoices",
        parameters=[
            OpenApiParameter("year", int, description="Year of the billed period, e.g. 2019"),
            OpenApiParameter("status", str, enum=Invoice.Status.values),
        ],
        responses=InvoiceSerializer(many=True),
    )
    def get(self, request):
        invoices = selectors.invoices_of(household_of(request.user))
        year = request.query_params.get("year")
        if year:
            if not year.isdigit():
                return Response({"code": "invalid", "detail": "L'année doit être un nombre (ex. 2019)."}, status=400)
            invoices = invoices.filter(period_start__year=int(year))
        status = request.query_params.get("status")
        if status:
            if status not in Invoice.Status.values:
                return Response({"code": "invalid", "detail": f"Statut inconnu : {status}."}, status=400)
            invoices = invoices.filter(status=status)
        context = {"request": request, "online_payment": provider_config_for_current_town() is not None}
        return Response(InvoiceSerializer(invoices, many=True, context=context).data)


class InvoiceDetailView(APIView):
    @extend_schema(summary="One invoice of the household, with its lines", responses=InvoiceDetailSerializer)
    def get(self, request, invoice_id: int):
        invoice = selectors.invoice_of(household_of(request.user), invoice_id)
        context = {"request": request, "online_payment": provider_config_for_current_town() is not None}
        return Response(InvoiceDetailSerializer(invoice, context=context).data)


class InvoicePdfView(APIView):
    @extend_schema(summary="The invoice as PDF", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, invoice_id: int):
        return pdf_response(selectors.invoice_of(household_of(request.user), invoice_id))


class InvoicePaymentView(APIView):
    @extend_schema(
        summary="Start an online payment of what remains to pay",
        description="Returns where to send the parent: a URL to open, or a form to submit. "
        "Refused with 409 `payment_too_soon` within 20 minutes of a pending payment.",
        request=None,
        responses={201: PaymentStartSerializer, 409: OpenApiResponse(ErrorSerializer), 404: OpenApiResponse(ErrorSerializer)},
    )
    def post(self, request, invoice_id: int):
        invoice = selectors.invoice_of(household_of(request.user), invoice_id)
        started = services.payment_start(invoice=invoice, payer_email=request.user.email, **payment_urls(request))
        payment = started.request
        url = request.build_absolute_uri(local_provider_url(request, started)) if payment.kind == "url" else payment.url
        data = {
            "kind": payment.kind, "url": url, "method": payment.method, "fields": dict(payment.fields),
            "html": payment.html, "transaction": started.transaction.order_id,
        }
        return Response(PaymentStartSerializer(data).data, status=201)
