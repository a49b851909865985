"""Forms of the accounting screens: the town's settings (with one product code per service) and
the choice of what to export."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.billing.models import InvoiceRun

from .models import AccountingSettings


class AccountingSettingsForm(forms.ModelForm):
    class Meta:
        model = AccountingSettings
        fields = ["id_post", "post_label", "id_coll", "cod_col", "cod_bud", "fiscal_year", "nature",
                  "ormc_nature_code", "regie"]

    def __init__(self, *args, services=(), codes=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = codes or {}
        self.services = list(services)
        for service in self.services:
            self.fields[f"code_{service.pk}"] = forms.RegexField(
                regex=r"^[0-9A-Za-z]{0,4}$", required=False, label=service.name, initial=codes.get(service.pk, ""),
                error_messages={"invalid": _("Jusqu'à 4 lettres ou chiffres.")},
            )

    def service_fields(self):
        return [self[f"code_{service.pk}"] for service in self.services]

    def product_codes(self) -> dict[int, str]:
        return {service.pk: self.cleaned_data[f"code_{service.pk}"] for service in self.services}

    def settings_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InvoiceExportForm(forms.Form):
    FORMATS = [("pes", _("Fichier PES V2 pour Hélios (XML)")), ("csv", _("Tableau CSV")), ("xlsx", _("Classeur XLSX"))]

    run = forms.ModelChoiceField(
        label=_("Facturation"), required=False, empty_label=_("— Par dates d'émission —"),
        queryset=InvoiceRun.objects.filter(status__in=[InvoiceRun.Status.DONE, InvoiceRun.Status.DONE_WITH_ERRORS]),
    )
    start = forms.DateField(label=_("Émises du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    fmt = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="pes")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("run") and not (data.get("start") and data.get("end")):
            raise forms.ValidationError(_("Choisissez une facturation, ou les deux dates d'émission."))
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
        return data


class PaymentExportForm(forms.Form):
    FORMATS = [("csv", _("Tableau CSV")), ("xlsx", _("Classeur XLSX"))]

    start = forms.DateField(label=_("Payés du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("au"), widget=forms.DateInput(attrs={"type": "date"}))
    fmt = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="csv")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
        return data
