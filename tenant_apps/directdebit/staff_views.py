"""Staff screens of direct debit, under /<ville>/gestion/prelevements/: mandate requests to
validate or refuse, mandates (account change, revocation, suspension lifted), the pain.008 file of
an invoicing run, rejected debits, and the town's creditor settings."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tenant_apps.billing.models import InvoiceRun, euros
from tenant_apps.core import files
from tenant_apps.core.clock import town_today
from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_form_error, refusal_as_message

from . import selectors, services
from .bank_reports import MAX_BYTES as BANK_FILE_MAX
from .forms import (
    AccountChangeForm,
    ExportForm,
    MandateDecisionForm,
    MandateRefusalForm,
    RejectForm,
    SettingsForm,
)
from .models import Debit, DebitExport, DirectDebitSettings, Mandate
from .services.mandates import MANDATE_FOLDER


def _runs():
    return InvoiceRun.objects.filter(status__in=[InvoiceRun.Status.DONE, InvoiceRun.Status.DONE_WITH_ERRORS]).order_by(
        "-period_start")[:24]


@staff_required
def home(request):
    status = request.GET.get("statut", "")
    if status not in Mandate.Status.values:
        status = ""
    return render(request, "directdebit/staff/home.html", {
        "requests": selectors.mandates_for_staff(Mandate.Status.REQUESTED),
        "mandates": selectors.mandates_for_staff(status) if status else selectors.mandates_for_staff().exclude(
            status=Mandate.Status.REQUESTED),
        "status": status, "statuses": Mandate.Status.choices,
        "exports": selectors.recent_exports(), "export_form": ExportForm(runs=_runs()),
        "debits": selectors.debits_for_staff(), "rules": DirectDebitSettings.current(),
    })


@staff_required
def mandate_detail(request, mandate_id: int):
    mandate = get_object_or_404(Mandate.objects.select_related("household"), pk=mandate_id)
    return render(request, "directdebit/staff/mandate.html", {
        "mandate": mandate, "decision_form": MandateDecisionForm(initial={"signed_on": mandate.signed_on}),
        "refusal_form": MandateRefusalForm(), "account_form": AccountChangeForm(),
        "amendments": mandate.amendments.all(), "debits": mandate.debits.select_related("invoice"),
    })


@staff_required
@require_POST
def mandate_validate(request, mandate_id: int):
    mandate = get_object_or_404(Mandate, pk=mandate_id)
    form = MandateDecisionForm(request.POST)
    signed_on = form.cleaned_data.get("signed_on") if form.is_valid() else None
    with refusal_as_message(request):
        services.mandate_validate(mandate=mandate, validated_by=request.user, signed_on=signed_on)
        messages.success(request, _("Mandat %(rum)s validé : la famille est prévenue par e-mail.") % {"rum": mandate.rum})
        return redirect("directdebit_staff:home")
    return redirect("directdebit_staff:mandate", mandate_id=mandate.pk)


@staff_required
@require_POST
def mandate_refuse(request, mandate_id: int):
    mandate = get_object_or_404(Mandate, pk=mandate_id)
    form = MandateRefusalForm(request.POST)
    with refusal_as_message(request):
        services.mandate_refuse(mandate=mandate, reason=form.data.get("reason", ""), refused_by=request.user)
        messages.success(request, _("Demande refusée : la famille est prévenue par e-mail."))
        return redirect("directdebit_staff:home")
    return redirect("directdebit_staff:mandate", mandate_id=mandate.pk)


@staff_required
@require_POST
def mandate_change_account(request, mandate_id: int):
    mandate = get_object_or_404(Mandate, pk=mandate_id)
    form = AccountChangeForm(request.POST)
    with refusal_as_message(request):
        services.mandate_change_account(mandate=mandate, iban=form.data.get("iban", ""), bic=form.data.get("bic", ""),
                                        changed_by=request.user)
        messages.success(request, _("Nouveau compte enregistré : le prochain prélèvement signale la modification "
                                    "du mandat à la banque."))
    return redirect("directdebit_staff:mandate", mandate_id=mandate.pk)


@staff_required
@require_POST
def mandate_state(request, mandate_id: int, action: str):
    if action not in ("revoquer", "retablir"):
        raise Http404(_("Action inconnue."))
    mandate = get_object_or_404(Mandate, pk=mandate_id)
    with refusal_as_message(request):
        if action == "revoquer":
            services.mandate_revoke(mandate=mandate)
            messages.success(request, _("Mandat révoqué."))
        else:
            services.mandate_reactivate(mandate=mandate)
            messages.success(request, _("Mandat rétabli."))
    return redirect("directdebit_staff:mandate", mandate_id=mandate.pk)


@staff_required
def mandate_document(request, mandate_id: int):
    mandate = get_object_or_404(Mandate, pk=mandate_id)
    return files.serve(mandate.document.name or None, folder=MANDATE_FOLDER,
                       filename=mandate.document_name or f"mandat-{mandate.rum}")


@staff_required
@require_POST
def export_create(request):
    form = ExportForm(request.POST, runs=_runs())
    if not form.is_valid():
        messages.error(request, _("Choisissez une facturation terminée."))
        return redirect("directdebit_staff:home")
    run = get_object_or_404(InvoiceRun, pk=form.cleaned_data["run"])
    with refusal_as_message(request):
        export = services.debit_export_create(run=run, created_by=request.user,
                                              represent_rejected=form.cleaned_data["represent_rejected"])
        messages.success(request, ngettext(
            "Fichier de prélèvement créé : %(count)s prélèvement, %(total)s.",
            "Fichier de prélèvement créé : %(count)s prélèvements, %(total)s.", export.count) % {
            "count": export.count, "total": euros(export.total)})
    return redirect("directdebit_staff:home")


@staff_required
def export_download(request, export_id: int):
    export = get_object_or_404(DebitExport, pk=export_id)
    response = HttpResponse(export.content.encode("utf-8"), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="prelevements-{export.collection_date:%Y%m%d}-{export.pk}.xml"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_POST
def export_collected(request, export_id: int):
    export = get_object_or_404(DebitExport, pk=export_id)
    count = services.debit_export_mark_collected(export=export)
    messages.success(request, ngettext("%(count)s prélèvement marqué prélevé.", "%(count)s prélèvements marqués prélevés.",
                                       count) % {"count": count})
    return redirect("directdebit_staff:home")


@staff_required
def debit_reject(request, debit_id: int):
    debit = get_object_or_404(Debit.objects.select_related("invoice", "mandate"), pk=debit_id)
    form = RejectForm(request.POST or None, initial={"rejected_on": town_today()})
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form):
            services.debit_reject(debit=debit, rejected_by=request.user, **form.cleaned_data)
            messages.success(request, _("Rejet enregistré : la facture %(number)s est de nouveau à payer et la famille "
                                        "est prévenue par e-mail.") % {"number": debit.invoice.number})
            return redirect("directdebit_staff:home")
    return render(request, "directdebit/staff/reject.html", {"debit": debit, "form": form})


@staff_required
@require_POST
def bank_file_import(request):
    upload = request.FILES.get("bank_file")
    if upload is None:
        messages.error(request, _("Choisissez le fichier de la banque (pain.002 ou camt.054)."))
        return redirect("directdebit_staff:home")
    with refusal_as_message(request):
        report = services.debits_reject_from_bank_file(content=upload.read(BANK_FILE_MAX + 1), rejected_by=request.user)
        if not report.rejected:
            messages.info(request, _("Aucun nouveau rejet dans ce fichier."))
        else:
            messages.success(request, ngettext(
                "%(count)s rejet enregistré : les familles sont prévenues par e-mail.",
                "%(count)s rejets enregistrés : les familles sont prévenues par e-mail.",
                len(report.rejected)) % {"count": len(report.rejected)})
        if report.unknown:
            messages.warning(request, _("Références inconnues dans le fichier : %(refs)s.") % {
                "refs": ", ".join(report.unknown)})
        if report.skipped:
            messages.info(request, _("Déjà enregistrés comme rejetés : %(refs)s.") % {"refs": ", ".join(report.skipped)})
    return redirect("directdebit_staff:home")


@staff_required
@require_POST
def debit_fee_settled(request, debit_id: int):
    debit = get_object_or_404(Debit, pk=debit_id)
    with refusal_as_message(request):
        services.debit_fee_settle(debit=debit)
        messages.success(request, _("Frais de rejet réglés."))
    return redirect("directdebit_staff:home")


@staff_required
def settings_page(request):
    rules = DirectDebitSettings.current()
    form = SettingsForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form):
            services.direct_debit_settings_update(**{name: form.cleaned_data[name] for name in SettingsForm.Meta.fields})
            messages.success(request, _("Réglages du prélèvement enregistrés."))
            return redirect("directdebit_staff:home")
    return render(request, "directdebit/staff/settings.html", {"form": form})
