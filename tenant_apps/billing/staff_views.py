"""Staff screens of billing: invoicing runs (with live progress), invoices, credit notes,
tariffs (QF brackets, validity, closing) and the town's billing rules."""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from tenant_apps.core.clock import town_today
from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_form_error, refusal_as_message
from tenants.errors import DomainError

from . import forms, selectors, services
from .forms import (
    BillingRulesForm,
    BracketFormSet,
    CounterPaymentForm,
    CreditNoteForm,
    InvoiceRunForm,
    TariffCloseForm,
    TariffForm,
    previous_month,
)
from .models import BillingSettings, Invoice, InvoiceRun, Tariff
from .views import pdf_response


@staff_required
def runs(request):
    start, end = previous_month(town_today())
    form = InvoiceRunForm(request.POST or None, initial={"period_start": start, "period_end": end, "with_pdfs": True})
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form):
            run = services.invoice_run_start(started_by=request.user, **form.cleaned_data)
            messages.success(request, _("La facturation est lancée : suivez sa progression ci-dessous."))
            if run.period_end < form.cleaned_data["period_end"]:
                messages.info(request, _("Elle s'arrête au %(day)s, dernier jour écoulé : les jours suivants seront "
                                         "facturés par une facturation ultérieure de la période.")
                              % {"day": f"{run.period_end:%d/%m/%Y}"})
            return redirect("billing_staff:run_detail", run_id=run.pk)
    return render(request, "billing/staff/runs.html", {
        "form": form, "runs": selectors.recent_runs(), "reviews": selectors.transactions_needing_review(),
        "advance_services": selectors.services_billed_in_advance(),
    })


@staff_required
@vary_on_headers("HX-Request")
def run_detail(request, run_id: int):
    run = get_object_or_404(InvoiceRun, pk=run_id)
    template = "billing/staff/_run_status.html" if request.htmx else "billing/staff/run_detail.html"
    return render(request, template, {"run": run, "advance_services": selectors.services_billed_in_advance(),
                                      "today": town_today()})


@staff_required
@require_POST
def run_resume(request, run_id: int):
    run = get_object_or_404(InvoiceRun, pk=run_id)
    with refusal_as_message(request):
        services.invoice_run_resume(run_id=run.pk)
        messages.success(request, _("La facturation est relancée : elle reprend là où elle s'était arrêtée."))
    return redirect("billing_staff:run_detail", run_id=run.pk)


@staff_required
@require_POST
def run_cancel(request, run_id: int):
    run = get_object_or_404(InvoiceRun, pk=run_id)
    with refusal_as_message(request):
        services.invoice_run_cancel(run_id=run.pk)
        messages.success(request, _("La facturation est annulée. Les factures déjà émises sont conservées."))
    return redirect("billing_staff:run_detail", run_id=run.pk)


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
        "allocations": selectors.invoice_allocations(invoice),
        "transactions": invoice.transactions.all(),
        "reminders": invoice.reminders.all(),
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
        messages.error(request, _("Indiquez le motif de l'avoir."))
    else:
        with refusal_as_message(request):
            note = services.credit_note_issue(invoice=invoice, reason=form.cleaned_data["reason"], issued_by=request.user)
            messages.success(request, _("Avoir %(note)s émis : la facture %(number)s est annulée.") % {"note": note.number, "number": invoice.number})
    return redirect("billing_staff:invoice_detail", invoice_id=invoice.pk)


@staff_required
@require_POST
def counter_payment(request, invoice_id: int):
    invoice = get_object_or_404(Invoice, pk=invoice_id)
    form = CounterPaymentForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors) or _("Montant invalide."))
    else:
        with refusal_as_message(request):
            payment = services.payment_record_counter(invoice=invoice, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Paiement au guichet enregistré."))
            return redirect("billing_staff:payment_detail", payment_id=payment.pk)
    return redirect("billing_staff:invoice_detail", invoice_id=invoice.pk)


# --- Tariffs and billing rules ---------------------------------------------------------------


def _show_rule_error(error: DomainError, form, bracket_forms=(), bracket_errors=None) -> None:
    """Put a service's refusal next to the field it concerns (a bracket row, a date, a price)."""
    field, index = getattr(error, "field", None), getattr(error, "index", None)
    if index is not None and index < len(bracket_forms):
        row = bracket_forms[index]
        row.add_error(field if field in row.fields else None, error.message)
    elif field == "brackets" and bracket_errors is not None:
        bracket_errors.append(error.message)
    elif field in form.fields and not form.fields[field].disabled:
        form.add_error(field, error.message)
    else:
        form.add_error(None, error.message)


def _default_rows(tariff: Tariff | None) -> list[dict]:
    rows = [{"qf_min": b.qf_min, "qf_max": b.qf_max, "price": b.price} for b in tariff.brackets.all()] if tariff else []
    return rows + [{}] if rows else [{"qf_min": 0}, {}, {}]


def _tariff_form_page(request, tariff: Tariff | None):
    in_use = tariff is not None and selectors.tariff_in_use(tariff)
    form_kwargs = {"service_locked": tariff is not None}
    bracket_errors: list[str] = []
    status = 200
    if request.method == "POST" and "add_bracket" in request.POST:
        # "Ajouter une tranche" without JavaScript: the same page again, one more empty row.
        data = request.POST.dict()
        if tariff is not None:
            data["service"] = tariff.service_id
        form = TariffForm(initial=data, **form_kwargs)
        formset = BracketFormSet(prefix="brackets", initial=[*forms.bracket_rows_from_post(request.POST), {}])
    elif request.method == "POST":
        form = TariffForm(request.POST, initial={"service": tariff.service_id} if tariff else None, **form_kwargs)
        formset = BracketFormSet(request.POST, prefix="brackets")
        if form.is_valid() and formset.is_valid():
            rows = [row for row in formset.forms if not row.is_blank()]
            fields = {
                "label": form.cleaned_data["label"], "valid_from": form.cleaned_data["valid_from"],
                "valid_until": form.cleaned_data["valid_until"], "unit_price": form.cleaned_data["unit_price"],
                "brackets": [services.BracketInput(qf_min=r.cleaned_data["qf_min"], qf_max=r.cleaned_data["qf_max"],
                                                   price=r.cleaned_data["price"]) for r in rows],
            }
            try:
                if tariff is None:
                    saved = services.tariff_create(service=form.cleaned_data["service"], **fields)
                else:
                    saved = services.tariff_update(tariff=tariff, **fields)
            except DomainError as error:
                _show_rule_error(error, form, rows, bracket_errors)
            else:
                messages.success(request, _("Tarif « %(service)s » %(period)s enregistré.") % {
                    "service": saved.service.name, "period": saved.period_label})
                return redirect(f"{reverse('billing_staff:tariffs')}#service-{saved.service_id}")
        status = 400
    else:
        initial = {}
        if tariff is not None:
            initial = {"service": tariff.service_id, "label": tariff.label, "valid_from": tariff.valid_from,
                       "valid_until": tariff.valid_until, "unit_price": tariff.unit_price}
        else:
            initial = {"service": request.GET.get("prestation"), "valid_from": request.GET.get("du")}
        form = TariffForm(initial=initial, **form_kwargs)
        formset = BracketFormSet(prefix="brackets", initial=_default_rows(tariff))
    return render(request, "billing/staff/tariff_form.html", {
        "form": form, "formset": formset, "tariff": tariff, "in_use": in_use, "bracket_errors": bracket_errors,
    }, status=status)


@staff_required
def tariff_list(request):
    today = town_today()
    service_list = list(selectors.tariffs_by_service())
    rows = []
    for service in service_list:
        # "Nouveau tarif" starts the day after the latest tariff ends, when it has an end.
        latest = next(iter(service.tariffs.all()), None)
        rows.append((service, latest.valid_until + timedelta(days=1) if latest and latest.valid_until else None))
    in_use = {t.pk for s in service_list for t in s.tariffs.all() if selectors.tariff_in_use(t)}
    return render(request, "billing/staff/tariffs.html", {
        "services": rows, "today": today, "in_use": in_use,
    })


@staff_required
def tariff_create(request):
    return _tariff_form_page(request, None)


@staff_required
def tariff_edit(request, tariff_id: int):
    return _tariff_form_page(request, get_object_or_404(Tariff.objects.select_related("service"), pk=tariff_id))


@staff_required
def tariff_close(request, tariff_id: int):
    tariff = get_object_or_404(Tariff.objects.select_related("service").prefetch_related("brackets"), pk=tariff_id)
    form = TariffCloseForm(request.POST or None, initial={"valid_until": tariff.valid_until})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.tariff_close(tariff=tariff, valid_until=form.cleaned_data["valid_until"])
            except DomainError as error:
                _show_rule_error(error, form)
            else:
                messages.success(request, _("Tarif « %(service)s » clôturé au %(day)s.") % {
                    "service": tariff.service.name, "day": f"{form.cleaned_data['valid_until']:%d/%m/%Y}"})
                return redirect(f"{reverse('billing_staff:tariffs')}#service-{tariff.service_id}")
        status = 400
    return render(request, "billing/staff/tariff_close.html", {"form": form, "tariff": tariff}, status=status)


@staff_required
def billing_rules(request):
    rules = BillingSettings.current()
    initial = {name: getattr(rules, name) for name in BillingRulesForm.base_fields}
    form = BillingRulesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.billing_settings_update(**form.cleaned_data)
            except DomainError as error:
                _show_rule_error(error, form)
            else:
                messages.success(request, _("Règles de facturation enregistrées : elles s'appliquent aux prochaines facturations."))
                return redirect("billing_staff:rules")
        status = 400
    return render(request, "billing/staff/rules.html", {"form": form}, status=status)
