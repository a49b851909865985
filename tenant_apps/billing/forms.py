from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _


def previous_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class InvoiceRunForm(forms.Form):
    period_start = forms.DateField(label="Du", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="Au", widget=forms.DateInput(attrs={"type": "date"}))
    with_pdfs = forms.BooleanField(label=_("Générer les PDF pendant la facturation"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            raise forms.ValidationError(_("La fin de la période doit suivre son début."))
        return data


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label="Motif de l'avoir", max_length=300)


class CounterPaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Montant reçu (€)"), max_digits=10, decimal_places=2, min_value=0.01)
    reference = forms.CharField(label=_("Référence (n° de chèque, de quittance…)"), max_length=120, required=False)
