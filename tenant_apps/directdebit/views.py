"""Parents' pages of direct debit: the block on MES FACTURES, and the page where they ask for
direct debit (IBAN and the signed mandate, or the town's paper form) and follow their mandate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenant_apps.core.errors import UploadRejected
from tenant_apps.core.refusals import refusal_as_form_error, refusal_as_message
from tenant_apps.families.models import Household
from tenant_apps.families.selectors import household_of

from . import selectors, services
from .errors import InvalidBankDetails
from .forms import MandateRequestForm
from .models import DirectDebitSettings, Mandate


def invoices_panel(household: Household) -> dict | None:
    """The "Prélèvement automatique" block of MES FACTURES (billing's panel hook)."""
    rules = DirectDebitSettings.current()
    mandate = selectors.mandate_of(household)
    if not rules.enabled and mandate is None:
        return None
    return {"template": "directdebit/_invoices_panel.html", "mandate": mandate, "enabled": rules.enabled}


def _payer_name(household: Household) -> str:
    payer = household.guardians.filter(is_payer=True).first() or household.guardians.first()
    return f"{payer.first_name} {payer.last_name}".strip() if payer else household.name


@login_required
def mandate_page(request):
    household = household_of(request.user)
    rules = DirectDebitSettings.current()
    mandate = selectors.mandate_of(household)
    can_request = rules.enabled and (mandate is None or mandate.status not in Mandate.LIVE)
    form = MandateRequestForm(request.POST or None, request.FILES or None,
                              initial={"debtor_name": _payer_name(household)})
    if request.method == "POST" and can_request and form.is_valid():
        data = form.cleaned_data
        with refusal_as_form_error(form, fields={InvalidBankDetails: "iban", UploadRejected: "document"}):
            services.mandate_request(
                household=household, requested_by=request.user, debtor_name=data["debtor_name"], iban=data["iban"],
                bic=data["bic"], document=data.get("document"), paper_form=data["how"] == form.How.PAPER,
                signed_on=data.get("signed_on"),
            )
            messages.success(request, _("Votre demande de prélèvement automatique est envoyée : la mairie la "
                                        "vérifie et vous prévient par e-mail."))
            return redirect("directdebit:mandate")
    return render(request, "directdebit/mandate.html", {
        "mandate": mandate, "form": form, "can_request": can_request, "rules": rules,
    })


@login_required
@require_POST
def mandate_revoke(request):
    mandate = selectors.mandate_of(household_of(request.user))
    if mandate is not None:
        with refusal_as_message(request):
            services.mandate_revoke(mandate=mandate)
            messages.success(request, _("Le prélèvement automatique est arrêté : vos prochaines factures seront à "
                                        "payer en ligne ou à la régie."))
    return redirect("directdebit:mandate")
