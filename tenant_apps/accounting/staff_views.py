"""Staff screens of the accounting exports: the town's settings, the export of a run or of a date
range (with invoices already sent flagged before generating), the history and the downloads."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tenant_apps.catalog.models import Service
from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_form_error

from . import selectors, services
from .forms import AccountingSettingsForm, InvoiceExportForm, PaymentExportForm
from .models import AccountingSettings, ExportRecord, ServiceAccounting

DIRECT_DEBIT_SETTINGS_URL = "directdebit_staff:settings"


def _direct_debit_settings_url() -> str | None:
    try:
        return reverse(DIRECT_DEBIT_SETTINGS_URL)
    except NoReverseMatch:
        return None


@staff_required
def accounting_settings(request):
    current = AccountingSettings.current()
    codes = dict(ServiceAccounting.objects.values_list("service_id", "cod_prod_loc"))
    form = AccountingSettingsForm(request.POST or None, instance=current, services=Service.objects.order_by("name"),
                                  codes=codes)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusal_as_form_error(form):
                services.accounting_settings_update(values=form.settings_values(), product_codes=form.product_codes())
                messages.success(request, _("Paramètres comptables enregistrés."))
                return redirect("accounting_staff:settings")
        status = 400
    return render(request, "accounting/staff/settings.html", {
        "form": form, "direct_debit_settings_url": _direct_debit_settings_url(),
    }, status=status)


def _preview(form: InvoiceExportForm) -> dict | None:
    """What the chosen selection holds, and which invoices an earlier export already carried."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    invoices = list(selectors.invoices_for(run=data["run"], start=data["start"], end=data["end"]))
    destination = "pes" if data["fmt"] == "pes" else "invoices"
    return {
        "count": len(invoices),
        "total": sum((invoice.total for invoice in invoices), 0),
        "already": selectors.already_exported([invoice.pk for invoice in invoices], destination=destination),
    }


@staff_required
def exports(request):
    if request.method == "POST":
        form = InvoiceExportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            selection = {"run_id": data["run"].pk if data["run"] else None, "start": data["start"],
                         "end": data["end"], "user": request.user}
            with refusal_as_form_error(form):
                if data["fmt"] == "pes":
                    record = services.pes_export_create(**selection)
                else:
                    record = services.invoices_export_create(fmt=data["fmt"], **selection)
                messages.success(request, _("Export enregistré : %(file)s.") % {"file": record.filename})
                if record.already_exported:
                    count = len(record.already_exported)
                    messages.warning(request, ngettext(
                        "Attention : %(count)s facture figurait déjà dans un export précédent.",
                        "Attention : %(count)s factures figuraient déjà dans un export précédent.", count,
                    ) % {"count": count})
                return redirect("accounting_staff:exports")
        preview = None
        status = 400
    else:
        form = InvoiceExportForm(request.GET or None)
        preview = _preview(form) if request.GET else None
        status = 200
    return render(request, "accounting/staff/exports.html", {
        "form": form, "preview": preview, "records": selectors.recent_exports(),
        "payments_form": PaymentExportForm(), "settings_ready": bool(AccountingSettings.current().id_post),
    }, status=status)


@staff_required
@require_POST
def payments_export(request):
    form = PaymentExportForm(request.POST)
    if form.is_valid():
        with refusal_as_form_error(form):
            record = services.payments_export_create(user=request.user, **form.cleaned_data)
            messages.success(request, _("Export enregistré : %(file)s.") % {"file": record.filename})
            return redirect("accounting_staff:exports")
    return render(request, "accounting/staff/exports.html", {
        "form": InvoiceExportForm(), "preview": None, "records": selectors.recent_exports(),
        "payments_form": form, "settings_ready": bool(AccountingSettings.current().id_post),
    }, status=400)


@staff_required
def export_download(request, record_id: int):
    record = get_object_or_404(ExportRecord, pk=record_id)
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.filename)
