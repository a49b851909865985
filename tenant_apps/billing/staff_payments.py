"""Staff screens of payments: a household's counter payment (allocated to one or several
invoices, the rest kept as credit), its receipt, reversing a payment (bounced cheque), and the
overdue invoices with their reminders."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_message
from tenant_apps.families.models import Household

from . import selectors, services
from .errors import InvalidAllocation
from .forms import CounterPaymentForm, PaymentReverseForm
from .models import Invoice, Payment


def receipt_response(payment: Payment) -> HttpResponse:
    from .pdf import render_receipt_pdf

    response = HttpResponse(render_receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="recu-{payment.receipt_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _allocations_from(post, invoices: list[Invoice]) -> list[tuple[Invoice, Decimal]] | None:
    """The amounts staff typed next to each invoice; None when they typed none (automatic)."""
    chosen = []
    for invoice in invoices:
        raw = (post.get(f"invoice-{invoice.pk}") or "").strip().replace(",", ".").replace(" ", "")
        if not raw:
            continue
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise InvalidAllocation(_("Facture %(number)s : montant invalide.") % {"number": invoice.number}) from None
        if amount:
            chosen.append((invoice, amount))
    return chosen or None


@staff_required
def household_payment(request, household_id: int):
    household = get_object_or_404(Household, pk=household_id)
    open_invoices = selectors.open_invoices_of(household)
    form = CounterPaymentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            with refusal_as_message(request):
                payment = services.payment_record(
                    household=household, method=data["method"], amount=data["amount"],
                    allocations=_allocations_from(request.POST, open_invoices), reference=data["reference"],
                    cheque_number=data["cheque_number"], bank=data["bank"], actor=request.user,
                )
                messages.success(request, _("Paiement au guichet enregistré."))
                return redirect("billing_staff:payment_detail", payment_id=payment.pk)
        status = 400
    return render(request, "billing/staff/household_payment.html", {
        "household": household, "invoices": open_invoices, "form": form,
        "credit": services.household_credit(household),
        "payments": Payment.objects.filter(household=household).order_by("-paid_at")[:20],
    }, status=status)


@staff_required
def payment_detail(request, payment_id: int):
    payment = get_object_or_404(Payment.objects.select_related("household"), pk=payment_id)
    return render(request, "billing/staff/payment_detail.html", {
        "payment": payment, "allocations": selectors.payment_allocations(payment),
        "reverse_form": PaymentReverseForm(),
    })


@staff_required
def payment_receipt(request, payment_id: int):
    return receipt_response(get_object_or_404(Payment.objects.select_related("household"), pk=payment_id))


@staff_required
@require_POST
def payment_reverse(request, payment_id: int):
    payment = get_object_or_404(Payment, pk=payment_id)
    form = PaymentReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif de l'annulation."))
    else:
        with refusal_as_message(request):
            services.payment_reverse(payment=payment, reason=form.cleaned_data["reason"])
            messages.success(request, _("Paiement annulé : les factures qu'il réglait sont de nouveau à payer."))
    return redirect("billing_staff:payment_detail", payment_id=payment.pk)


@staff_required
def overdue(request):
    return render(request, "billing/staff/overdue.html", {"invoices": services.overdue_invoices()[:500]})


@staff_required
@require_POST
def reminder_send(request, invoice_id: int):
    invoice = get_object_or_404(Invoice, pk=invoice_id)
    with refusal_as_message(request):
        services.invoice_reminder_send(invoice=invoice, actor=request.user)
        messages.success(request, _("Relance de la facture %(number)s envoyée.") % {"number": invoice.number})
    return redirect("billing_staff:overdue")
