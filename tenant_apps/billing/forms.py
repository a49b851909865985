from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.catalog.models import Service

if TYPE_CHECKING:  # django-stubs-ext is a development package: for the type checker only
    from django_stubs_ext import StrOrPromise


def previous_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class InvoiceRunForm(forms.Form):
    # <input type="date"> only takes ISO dates: a French "01/11/2026" would leave it empty.
    period_start = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    period_end = forms.DateField(label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    with_pdfs = forms.BooleanField(label=_("Générer les PDF pendant la facturation"), required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            raise forms.ValidationError(_("La fin de la période doit suivre son début."))
        return data


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label=_("Motif de l'avoir"), max_length=300)


COUNTER_METHOD_CHOICES = [
    ("cash", _("Espèces")), ("cheque", _("Chèque")), ("cesu", _("CESU")),
    ("ancv", _("Chèques vacances ANCV")), ("transfer", _("Virement")),
]


class CounterPaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Montant reçu (€)"), max_digits=10, decimal_places=2, min_value=0.01,
                                localize=True)
    method = forms.ChoiceField(label=_("Mode de paiement"), choices=COUNTER_METHOD_CHOICES, required=False)
    cheque_number = forms.CharField(label=_("N° de chèque"), max_length=40, required=False)
    bank = forms.CharField(label=_("Banque"), max_length=120, required=False)
    reference = forms.CharField(label=_("Référence (n° de quittance, de virement…)"), max_length=120, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["method"] = data.get("method") or "counter"
        if data["method"] == "cheque" and not data.get("cheque_number"):
            self.add_error("cheque_number", _("Indiquez le numéro du chèque."))
        return data


class PaymentReverseForm(forms.Form):
    reason = forms.CharField(label=_("Motif (chèque impayé, prélèvement rejeté…)"), max_length=300)


# --- Tariffs and billing rules (staff) -------------------------------------------------------
# Forms only parse what staff typed; the rules (brackets, overlaps, billed tariffs) live in the
# services and their errors are shown next to the field they concern.

MAX_BRACKET_ROWS = 30
BRACKET_FIELDS = ("qf_min", "qf_max", "price")


def _price_field(label: StrOrPromise, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=8, decimal_places=2, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}), **kwargs,
    )


class TariffForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Prestation"), empty_label=None,
                                     queryset=Service.objects.order_by("-is_active", "position", "name"))
    label = forms.CharField(label=_("Libellé (facultatif)"), max_length=120, required=False,
                            help_text=_("Ex. « Repas Enfant 2026-2027 »."))
    valid_from = forms.DateField(label=_("Valable du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    valid_until = forms.DateField(label=_("Jusqu'au (inclus)"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  help_text=_("Laissez vide tant que le tarif n'a pas de fin prévue."))
    unit_price = _price_field(_("Prix unique (€)"),
                              help_text=_("Le même prix pour toutes les familles. Sinon, laissez vide et remplissez "
                                          "les tranches de quotient familial ci-dessous."))

    def __init__(self, *args: Any, service_locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if service_locked:
            # A tariff stays with its service; a price for another service is another tariff.
            self.fields["service"].disabled = True


class BracketForm(forms.Form):
    qf_min = forms.IntegerField(label=_("QF de"), required=False, min_value=0)
    qf_max = forms.IntegerField(label=_("QF jusqu'à"), required=False, min_value=0)
    price = _price_field(_("Prix (€)"))

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return all(data.get(name) in (None, "") for name in BRACKET_FIELDS)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.is_blank() and data.get("price") is None and "price" not in self.errors:
            self.add_error("price", _("Indiquez le prix de la tranche."))
        if not self.is_blank() and data.get("qf_min") is None and "qf_min" not in self.errors:
            self.add_error("qf_min", _("Indiquez le QF de début (0 pour la première tranche)."))
        return data


BracketFormSet = forms.formset_factory(BracketForm, extra=0, max_num=MAX_BRACKET_ROWS, absolute_max=MAX_BRACKET_ROWS)


def bracket_rows_from_post(data, *, prefix: str = "brackets") -> list[dict]:
    """What staff typed in the bracket rows, as initial values (to redisplay with one more row)."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        total = 0
    total = max(0, min(total, MAX_BRACKET_ROWS))
    return [{name: data.get(f"{prefix}-{index}-{name}", "") for name in BRACKET_FIELDS} for index in range(total)]


class TariffCloseForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Dernier jour de validité"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Le tarif s'applique jusqu'à ce jour inclus ; un nouveau tarif peut commencer le lendemain."),
    )


class BillingRulesForm(forms.Form):
    bill_unjustified_absences = forms.BooleanField(
        label=_("Facturer les jours réservés même en cas d'absence non justifiée"), required=False)
    bill_unbooked_attendance = forms.BooleanField(label=_("Facturer les présences non réservées"), required=False)
    unbooked_surcharge_percent = forms.DecimalField(
        label=_("Majoration des présences non réservées (%)"), max_digits=5, decimal_places=2, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}), help_text=_("De 0 à 100 %."))
    payment_due_days = forms.IntegerField(label=_("Délai de paiement (jours)"), help_text=_("De 0 à 365 jours."))
    collection_office = forms.CharField(
        label=_("Régie (paiement au guichet)"), max_length=300, required=False,
        help_text=_("Imprimé sur les factures. Ex. « Régie enfance, mairie, du lundi au vendredi de 9 h à 12 h »."))
    reminder_first_days = forms.IntegerField(
        label=_("Première relance (jours après l'échéance)"), required=False, min_value=0, max_value=365,
        help_text=_("0 : pas de relance."))
    reminder_second_days = forms.IntegerField(
        label=_("Seconde relance (jours après l'échéance)"), required=False, min_value=0, max_value=365,
        help_text=_("0 : pas de seconde relance ; sinon, après la première."))
