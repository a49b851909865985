"""Billing API for parents: invoices (list by year and status, detail, PDF, start an online
payment) and the current tariffs with the price that applies to the household."""

import datetime as dt

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.payments.selectors import provider_config_for_current_town
from tenant_apps.core.clock import town_today
from tenant_apps.families.selectors import household_of
from tenants.api import ErrorSerializer

from .. import selectors, services
from ..hooks import settlement_notes
from ..pricing import bracket_for, valid_family_quotient
from ..views import local_provider_url, payment_urls, pdf_response
from .serializers import (
    HouseholdTariffSerializer,
    InvoiceDetailSerializer,
    InvoiceFilterSerializer,
    InvoiceSerializer,
    PaymentStartSerializer,
)


class InvoiceListView(APIView):
    @extend_schema(
        summary="The household's invoices",
        parameters=[InvoiceFilterSerializer],
        responses=InvoiceSerializer(many=True),
    )
    def get(self, request):
        invoices = selectors.invoices_of(household_of(request.user))
        query = InvoiceFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if year := query.validated_data.get("year"):
            invoices = invoices.filter(period_start__year=year)
        if status := query.validated_data.get("status"):
            invoices = invoices.filter(status=status)
        listed = list(invoices)
        context = {"request": request, "online_payment": provider_config_for_current_town() is not None,
                   "settlements": settlement_notes(listed)}
        return Response(InvoiceSerializer(listed, many=True, context=context).data)


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


class TariffListView(APIView):
    @extend_schema(
        summary="Current tariffs, with the price the household pays",
        description="One entry per active service with a tariff valid on `date` (default: today in the "
        "town). In `qf` mode the household pays the bracket of its quotient familial valid on that day; "
        "without a valid QF it pays the top bracket.",
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="Day of the prices (YYYY-MM-DD)")],
        responses={200: HouseholdTariffSerializer(many=True), 400: OpenApiResponse(ErrorSerializer)},
    )
    def get(self, request):
        household = household_of(request.user)
        day = town_today()
        if raw := request.query_params.get("date"):
            try:
                day = dt.date.fromisoformat(raw)
            except ValueError:
                return Response({"code": "invalid", "detail": "Date invalide (format AAAA-MM-JJ)."}, status=400)
        qf = valid_family_quotient(household, day)
        entries = []
        for tariff in selectors.current_tariffs(day):
            brackets = sorted(tariff.brackets.all(), key=lambda b: b.qf_min)
            if tariff.mode == tariff.Mode.FLAT:
                applied, price = None, tariff.unit_price
            elif brackets:
                applied = bracket_for(brackets, qf)
                price = applied.price
            else:
                continue  # an incomplete legacy tariff: nothing reliable to show
            entries.append({
                "service_id": tariff.service_id, "service_name": tariff.service.name, "mode": tariff.mode,
                "valid_from": tariff.valid_from, "valid_until": tariff.valid_until, "unit_price": price,
                "applied_bracket": applied, "brackets": brackets, "prices_label": tariff.prices_label,
            })
        return Response(HouseholdTariffSerializer(entries, many=True).data)
