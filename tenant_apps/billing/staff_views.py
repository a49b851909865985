"""Staff screens of billing: invoicing runs (with live progress), invoices, credit notes."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenant_apps.backoffice.permissions import staff_required
from tenants.errors import DomainError

from . import selectors, services
from .forms import CounterPaymentForm, CreditNoteForm, InvoiceRunForm, previous_month
from .models import Invoice, InvoiceRun
from .views import pdf_response


@staff_required
def runs(request):
    start, end = previous_month(services.today_in_town())
    form = InvoiceRunForm(request.POST or None, initial={"period_start": start, "period_end": end, "with_pdfs": True})
    if request.method == "POST" and form.is_valid():
        try:
            run = services.invoice_run_start(started_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La facturation est lancée : suivez sa progression ci-dessous."))
            return redirect("billing_staff:run_detail", run_id=run.pk)
    return render(request, "billing/staff/runs.html", {
        "form": form, "runs": selectors.recent_runs(), "reviews": selectors.transactions_needing_review(),
    })


@staff_required
def run_detail(request, run_id: int):
    run = get_object_or_404(InvoiceRun, pk=run_id)
    template = "billing/staff/_run_status.html" if request.headers.get("HX-Request") else "billing/staff/run_detail.html"
    return render(request, template, {"run": run})


@staff_required
def invoice_list(request):
    query = request.GET.get("q", "").strip()
    invoices = Invoice.objects.select_related("household").order_by("-sequence")
    if query:
        invoices = invoices.filter(Q(number__icontains=query) | Q(household__name__icontains=query) | Q(payer_name__icontains=query))
    status = request.GET.get("statut", "")
    if status in Invoice.Status.values:
        invoices = invoices.filter(status=status)
    return render(request, "billing/staff/invoices.html", {
        "invoices": invoices[:200], "q": query, "status": status, "statuses": Invoice.Status.choices,
    })


@staff_required
def invoice_detail(request, invoice_id: int):
    invoice = get_object_or_404(Invoice.objects.select_related("household"), pk=invoice_id)
    return render(request, "billing/staff/invoice_detail.html", {
        "invoice": invoice,
        "lines": invoice.lines.all(),
        "payments": invoice.payments.all(),
        "transactions": invoice.transactions.all(),
        "credit_note_form": CreditNoteForm(),
        "counter_form": CounterPaymentForm(initial={"amount": invoice.remaining}),
    })


@staff_required
def invoice_pdf(request, invoice_id: int):
    return pdf_response(get_object_or_404(Invoice, pk=invoice_id))


@staff_required
@require_POST
def credit_note_create(request, invoice_id: int):
    invoice = get_object_or_404(Invoice, pk=invoice_id)
    form = CreditNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le motif de l'avoir.")
    else:
        try:
            note = services.credit_note_issue(invoice=invoice, reason=form.cleaned_data["reason"], issued_by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Avoir %(note)s émis : la facture %(number)s est annulée.") % {"note": note.number, "number": invoice.number})
    return redirect("billing_staff:invoice_detail", invoice_id=invoice.pk)


@staff_required
@require_POST
def counter_payment(request, invoice_id: int):
    invoice = get_object_or_404(Invoice, pk=invoice_id)
    form = CounterPaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Montant invalide.")
    else:
        try:
            services.payment_record_counter(invoice=invoice, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Paiement au guichet enregistré."))
    return redirect("billing_staff:invoice_detail", invoice_id=invoice.pk)
