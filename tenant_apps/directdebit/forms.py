"""Forms of direct debit: they parse what people typed; the rules live in the services."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import REJECT_REASONS, DirectDebitSettings

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MandateRequestForm(forms.Form):
    class How(models.TextChoices):
        UPLOAD = "upload", _("Je joins le mandat signé (PDF)")
        PAPER = "paper", _("J'apporterai le formulaire papier de la mairie, signé")

    debtor_name = forms.CharField(label=_("Titulaire du compte"), max_length=70)
    iban = forms.CharField(label=_("IBAN"), max_length=50,
                           help_text=_("Tel qu'il figure sur votre RIB, ex. FR76 3000 6000 0112 3456 7890 189."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    bic = forms.CharField(label=_("BIC"), max_length=20, required=False,
                          help_text=_("Facultatif : il est retrouvé à partir de l'IBAN pour la plupart des banques."))
    how = forms.ChoiceField(label=_("Mandat signé"), choices=How.choices, widget=forms.RadioSelect, initial=How.UPLOAD)
    document = forms.FileField(label=_("Mandat signé (PDF, 5 Mo au plus)"), required=False)
    signed_on = forms.DateField(label=_("Date de signature du mandat"), required=False, widget=DATE_WIDGET)


class MandateDecisionForm(forms.Form):
    signed_on = forms.DateField(label=_("Date de signature"), required=False, widget=DATE_WIDGET,
                                help_text=_("Pour un formulaire papier : la date qui y figure."))


class MandateRefusalForm(forms.Form):
    reason = forms.CharField(label=_("Motif du refus (envoyé à la famille)"), max_length=300)


class AccountChangeForm(forms.Form):
    iban = forms.CharField(label=_("Nouvel IBAN"), max_length=50)
    bic = forms.CharField(label=_("Nouveau BIC"), max_length=20, required=False)


class ExportForm(forms.Form):
    run = forms.TypedChoiceField(label=_("Facturation"), coerce=int)
    represent_rejected = forms.BooleanField(
        label=_("Présenter à nouveau les factures dont le prélèvement a été rejeté"), required=False)

    def __init__(self, *args, runs=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(run.pk, str(run)) for run in runs]
        self.fields["run"].choices = choices  # type: ignore[attr-defined]


class RejectForm(forms.Form):
    rejected_on = forms.DateField(label=_("Date du rejet"), widget=DATE_WIDGET)
    reason = forms.ChoiceField(label=_("Motif (code ISO)"), choices=sorted(REJECT_REASONS.items()))


class SettingsForm(forms.ModelForm):
    class Meta:
        model = DirectDebitSettings
        fields = ["enabled", "creditor_id", "creditor_name", "creditor_iban", "creditor_bic", "collection_rule",
                  "collection_day", "rejection_fee", "suspend_after_rejects"]
        localized_fields = ["rejection_fee"]
