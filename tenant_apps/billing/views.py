"""Parents' pages of billing (MES FACTURES, PDF, PAYER) and the payment provider's endpoints."""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from shared_apps.payments.gateway import dummy_signed_query
from shared_apps.payments.selectors import provider_config_for_current_town
from tenant_apps.core.refusals import refusal_as_message
from tenant_apps.families.selectors import household_of
from tenants.current import current_schema

from . import selectors, services
from .errors import NotificationRefused
from .hooks import invoices_panels, settlement_notes
from .models import Invoice, PaymentTransaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class InvoiceRow:
    invoice: Invoice
    pay_again_at: datetime | None  # a payment is under way: PAYER comes back at this time
    settlement: str = ""  # settled otherwise (direct debit): shown instead of PAYER


@login_required
@vary_on_headers("HX-Request")
def invoices(request):
    household = household_of(request.user)
    all_invoices = list(selectors.invoices_of(household).prefetch_related("allocations__payment"))
    retry_times = selectors.payment_retry_times(household, within=services.MIN_DELAY_BETWEEN_PAYMENTS)
    notes = settlement_notes(all_invoices)
    context = {
        "years": {year: [InvoiceRow(invoice=invoice, pay_again_at=retry_times.get(invoice.pk),
                                    settlement=notes.get(invoice.pk, "")) for invoice in invoices]
                  for year, invoices in selectors.invoices_by_year(all_invoices).items()},
        "online_payment": provider_config_for_current_town() is not None,
        "any_pending": any(i.status == i.Status.PAYMENT_PENDING for i in all_invoices),
        "panels": [] if request.htmx else invoices_panels(household),
    }
    template = "billing/_invoice_years.html" if request.htmx else "billing/invoices.html"
    return render(request, template, context)


def pdf_response(invoice) -> FileResponse:
    name = services.invoice_pdf_ensure(invoice=invoice)
    response = FileResponse(default_storage.open(name, "rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="facture-{invoice.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def invoice_pdf(request, invoice_id: int):
    invoice = selectors.invoice_of(household_of(request.user), invoice_id)
    return pdf_response(invoice)


@login_required
def payment_receipt(request, payment_id: int):
    """The receipt of a payment the household made at the counter."""
    from .staff_payments import receipt_response

    payment = selectors.payment_of(household_of(request.user), payment_id)
    if not payment.is_counter:
        raise Http404(_("Pas de reçu pour ce paiement."))
    return receipt_response(payment)


def payment_urls(request) -> dict:
    return {
        "return_url": request.build_absolute_uri(reverse("billing:payment_return")),
        "callback_url": request.build_absolute_uri(reverse("billing:payment_notification")),
    }


def local_provider_url(request, started) -> str:
    """With the dummy backend, the "bank" is the portal's simulated bank page."""
    if started.transaction.backend == "dummy":
        query = urlsplit(started.request.url).query
        return f"{reverse('billing:simulated_bank')}?{query}"
    return started.request.url


@login_required
@require_POST
def invoice_pay(request, invoice_id: int):
    invoice = selectors.invoice_of(household_of(request.user), invoice_id)
    with refusal_as_message(request):
        started = services.payment_start(invoice=invoice, payer_email=request.user.email, **payment_urls(request))
        if started.request.kind == "url":
            return redirect(local_provider_url(request, started))
        return render(request, "billing/payment_redirect.html", {"payment": started.request, "invoice": invoice})
    return redirect("billing:invoices")


def _query_string(request) -> str:
    if request.method == "POST":
        body = request.body.decode("utf-8", "replace")
        return body or request.META.get("QUERY_STRING", "")
    return request.META.get("QUERY_STRING", "")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def payment_notification(request):
    """The provider's server-to-server callback."""
    try:
        result = services.payment_notification_handle(query_string=_query_string(request), channel="callback")
    except NotificationRefused as error:
        return HttpResponseBadRequest(error.message, content_type="text/plain; charset=utf-8")
    return HttpResponse(result.return_content or "OK", content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def payment_return(request):
    """The parent's browser coming back from the provider's page."""
    try:
        result = services.payment_notification_handle(query_string=_query_string(request), channel="return")
    except NotificationRefused:
        messages.error(request, _("Le retour du service de paiement n'a pas pu être vérifié. "
                                  "Si vous avez payé, la facture passera en « Payé » dès la confirmation."))
        return redirect("billing:invoices")
    number = result.invoice.number
    if result.state == "paid":
        messages.success(request, _("Paiement reçu : la facture %(number)s est payée. Un e-mail de confirmation vous est envoyé.") % {"number": number})
    elif result.state == "pending":
        messages.info(request, _("Votre paiement de la facture %(number)s est en cours de traitement.") % {"number": number})
    elif result.state == "review":
        messages.warning(request, _("Votre paiement de la facture %(number)s doit être vérifié par la régie, qui reviendra vers vous.") % {
            "number": number})
    else:
        messages.error(request, _("Le paiement n'a pas abouti (refusé ou annulé) : la facture %(number)s reste à payer.") % {"number": number})
    return redirect("billing:invoices")


@require_http_methods(["GET", "POST"])
def simulated_bank(request):
    """A stand-in for the dummy provider's page, so the whole flow works offline (dev, demo, tests).

    It exists only while the town's provider is eopayment's `dummy` backend. Choosing an
    outcome sends the signed notification to the portal (the "server-to-server" call,
    made in-process here) and sends the browser back to the return URL.
    """
    config = provider_config_for_current_town(enabled_only=False)
    if config is None or config.backend != "dummy":
        raise Http404(_("Banque simulée indisponible."))
    params = request.POST if request.method == "POST" else request.GET
    reference = params.get("transaction_id", "")
    tx = PaymentTransaction.objects.select_related("invoice").filter(provider_reference=reference).first() if reference else None
    if tx is None:
        raise Http404(_("Transaction inconnue."))
    if request.method == "GET":
        return render(request, "billing/simulated_bank.html", {"transaction": tx})
    choice = request.POST.get("outcome")
    if choice not in ("pay", "refuse", "cancel", "abandon"):
        return HttpResponseBadRequest(_("Choix invalide."))
    query = dummy_signed_query(
        current_schema(), transaction_id=tx.provider_reference, amount=str(Decimal(tx.amount)),
        paid=choice == "pay", reason={"refuse": "refused", "cancel": "cancelled", "abandon": "abandoned"}.get(choice, ""),
    )
    try:
        services.payment_notification_handle(query_string=query, channel="callback")
    except NotificationRefused:
        logger.warning("Simulated bank: notification refused for %s", tx.order_id)
    return redirect(f"{reverse('billing:payment_return')}?{query}")


