"""The editable fields of the family record: label, category, validation, and the default policy.

Every field a parent can see on MON PROFIL or on a child's page has a key here
("guardian.mobile_phone"). Staff override the default policy (editable by parents?
audited?) per key with `FieldPolicy` rows. Collections (allergies, contacts…) have a key too.
"""

from dataclasses import dataclass
from typing import TypedDict

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Child, Guardian, Household
from .validators import normalize_phone, validate_not_future, validate_postcode

MODELS = {"household": Household, "guardian": Guardian, "child": Child}
YES_NO = [("oui", _("Oui")), ("non", _("Non"))]
DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        return normalize_phone(super().clean(value))


class YesNoField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=YES_NO, coerce=lambda v: v in (True, "oui", "true", "True", "1"),
                         widget=forms.RadioSelect, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, bool):
            return "oui" if value else "non"
        return value

    def to_python(self, value):
        if isinstance(value, bool):
            return "oui" if value else "non"
        return super().to_python(value)


class _FieldOptions(TypedDict):
    """What every form field of a spec takes, whatever its kind."""

    label: str
    required: bool


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    category: str
    kind: str = "text"  # text, textarea, email, phone, postcode, date_past, choice, bool, int
    editable: bool = True
    audited: bool = False
    required: bool = False

    @property
    def scope(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def attr(self) -> str:
        return self.key.split(".", 1)[1]

    @property
    def model_field(self):
        return MODELS[self.scope]._meta.get_field(self.attr)

    @property
    def is_collection(self) -> bool:
        return self.kind == "collection"

    def form_field(self) -> forms.Field:
        common = _FieldOptions(label=self.label, required=self.required)
        model_field = self.model_field
        if self.kind == "email":
            return forms.EmailField(max_length=254, error_messages={"invalid": _("Saisissez une adresse e-mail valide.")},
                                    **common)
        if self.kind == "phone":
            return PhoneField(max_length=30, **common)
        if self.kind == "postcode":
            return forms.CharField(max_length=5, validators=[validate_postcode],
                                   widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
                                   **common)
        if self.kind in ("date_past", "date"):
            return forms.DateField(input_formats=DATE_INPUTS,
                                   validators=[validate_not_future] if self.kind == "date_past" else [],
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                   error_messages={"invalid": _("Saisissez une date valide (jj/mm/aaaa).")}, **common)
        if self.kind == "choice":
            choices = [c for c in model_field.choices if c[0] != ""]
            if not self.required:
                choices = [("", _("— Non renseigné —")), *choices]
            return forms.ChoiceField(choices=choices, **common)
        if self.kind == "bool":
            return YesNoField(label=self.label, required=True)
        if self.kind == "int":
            return forms.IntegerField(min_value=0, **common)
        if self.kind == "textarea":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)
        return forms.CharField(max_length=model_field.max_length, **common)

    def value_of(self, obj):
        return getattr(obj, self.attr)

    def display(self, obj) -> str:
        return display_value(self, self.value_of(obj), obj)


def display_value(spec: FieldSpec, value, obj=None) -> str:
    if value in (None, ""):
        return ""
    if spec.kind == "bool":
        return "Oui" if value else "Non"
    if spec.kind == "choice":
        return str(dict(spec.model_field.choices).get(value, value))
    if hasattr(value, "isoformat"):
        return date_format(value, "d/m/Y")
    return str(value)


@dataclass(frozen=True)
class Category:
    slug: str
    title: str
    keys: tuple[str, ...]


def _spec(key, label, category, **kw) -> FieldSpec:
    return FieldSpec(key=key, label=str(label), category=category, **kw)


SPECS: list[FieldSpec] = [
    # Household
    _spec("household.address_line", _("Adresse"), "adresse", audited=True),
    _spec("household.address_line2", _("Complément d'adresse"), "adresse", audited=True),
    _spec("household.postcode", _("Code postal"), "adresse", kind="postcode", audited=True),
    _spec("household.city", _("Commune"), "adresse", audited=True),
    _spec("household.family_quotient", _("Quotient familial"), "situation", kind="int", editable=False, audited=True),
    _spec("household.family_quotient_valid_from", _("QF valable du"), "situation", kind="date", editable=False),
    _spec("household.family_quotient_valid_until", _("QF valable jusqu'au"), "situation", kind="date", editable=False),
    # Guardians
    _spec("guardian.email", _("E-mail"), "coordonnees", kind="email", audited=True, required=True),
    _spec("guardian.mobile_phone", _("Téléphone portable"), "coordonnees", kind="phone", audited=True),
    _spec("guardian.home_phone", _("Téléphone domicile"), "coordonnees", kind="phone", audited=True),
    _spec("guardian.work_phone", _("Téléphone travail"), "coordonnees", kind="phone", audited=True),
    _spec("guardian.civility", _("Civilité"), "etat_civil", kind="choice"),
    _spec("guardian.last_name", _("Nom"), "etat_civil", audited=True, required=True),
    _spec("guardian.first_name", _("Prénom"), "etat_civil", audited=True, required=True),
    _spec("guardian.birth_date", _("Date de naissance"), "etat_civil", kind="date_past"),
    _spec("guardian.marital_status", _("Situation familiale"), "etat_civil", kind="choice"),
    _spec("guardian.relationship", _("Lien avec les enfants"), "etat_civil", kind="choice", audited=True),
    _spec("guardian.profession", _("Profession"), "profession"),
    _spec("guardian.employer", _("Employeur"), "profession"),
    # Children
    _spec("child.last_name", _("Nom"), "identite", editable=False, required=True),
    _spec("child.first_name", _("Prénom"), "identite", editable=False, required=True),
    _spec("child.birth_date", _("Date de naissance"), "identite", kind="date_past", editable=False, required=True),
    _spec("child.birth_city", _("Ville de naissance"), "identite"),
    _spec("child.sex", _("Sexe"), "identite", kind="choice"),
    _spec("child.school_placement", _("Cursus (école, niveau, classe)"), "cursus", kind="collection", editable=False),
    _spec("child.diet", _("Régime alimentaire"), "cursus", kind="choice", audited=True),
    _spec("child.doctor_name", _("Médecin traitant"), "medical"),
    _spec("child.doctor_phone", _("Téléphone du médecin"), "medical", kind="phone"),
    _spec("child.care_plan", _("PAI (projet d'accueil individualisé)"), "medical", kind="bool", audited=True),
    _spec("child.care_plan_details", _("Détails du PAI"), "medical", kind="textarea", audited=True),
    _spec("child.allergies", _("Allergies"), "medical", kind="collection", audited=True),
    _spec("child.vaccines", _("Vaccins"), "medical", kind="collection"),
    _spec("child.emergency_contacts", _("Contacts d'urgence"), "contacts", kind="collection", audited=True),
    _spec("child.pickup_contacts", _("Contacts de sortie"), "contacts", kind="collection", audited=True),
    _spec("child.documents", _("Documents"), "documents", kind="collection"),
    _spec("child.authorisations", _("Autorisations"), "autorisations", kind="collection", audited=True),
]
BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in SPECS}

HOUSEHOLD_CATEGORIES = [
    Category("adresse", str(_("Adresse du foyer")), tuple(s.key for s in SPECS if s.category == "adresse")),
    Category("situation", str(_("Situation (quotient familial)")),
             tuple(s.key for s in SPECS if s.category == "situation")),
]
GUARDIAN_CATEGORIES = [
    Category("coordonnees", str(_("Coordonnées")), tuple(s.key for s in SPECS if s.category == "coordonnees")),
    Category("etat_civil", str(_("État civil")), tuple(s.key for s in SPECS if s.category == "etat_civil")),
    Category("profession", str(_("Situation professionnelle")),
             tuple(s.key for s in SPECS if s.category == "profession")),
]
CATEGORY_TITLES = {
    "adresse": _("Adresse du foyer"), "situation": _("Situation (quotient familial)"), "coordonnees": _("Coordonnées"),
    "etat_civil": _("État civil"), "profession": _("Situation professionnelle"), "identite": _("Identité de l'enfant"),
    "cursus": _("Mon cursus, mes groupes"), "medical": _("Mes informations médicales"),
    "contacts": _("Mes contacts de sortie et d'urgence"), "documents": _("Mes documents"), "autorisations": _("Mes autorisations"),
}


def spec_for(key: str) -> FieldSpec | None:
    return BY_KEY.get(key)
