"""CSV import of families from a previous system (one row per person, rows of a household share
its reference): each row is checked by the form of its kind, then everything is created at once.

Used by the `import_families` command and the staff upload page."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tenant_apps.core.clock import town_today
from tenant_apps.core.french import after_colon
from tenants.errors import DomainError

from .fields import BY_KEY
from .models import Child, Guardian, Household
from .services import child_create, guardian_create, household_create
from .validators import normalize_phone, validate_postcode

IMPORT_COLUMNS = [
    ("foyer", "référence du foyer dans l'ancien logiciel (obligatoire) : relie les lignes d'un même foyer"),
    ("type", "« responsable » ou « enfant » (obligatoire)"),
    ("nom", "nom de la personne (obligatoire)"),
    ("prenom", "prénom (obligatoire)"),
    ("date_naissance", "jj/mm/aaaa (obligatoire pour un enfant)"),
    ("ville_naissance", "enfant : ville de naissance"),
    ("sexe", "enfant : F ou M"),
    ("regime", "enfant : sans_porc, vegetarien, sans_viande, pai ou vide"),
    ("civilite", "responsable : mme ou m"),
    ("lien", "responsable : mere, pere, tuteur, famille_accueil, autre"),
    ("email", "responsable : e-mail, qui devient son identifiant (unique dans la commune)"),
    ("telephone_portable", "responsable : numéro français ou international"),
    ("telephone_domicile", "responsable"),
    ("telephone_travail", "responsable"),
    ("adresse", "foyer : adresse (lue sur la première ligne « responsable » du foyer)"),
    ("complement_adresse", "foyer"),
    ("code_postal", "foyer : 5 chiffres"),
    ("commune", "foyer"),
    ("quotient_familial", "foyer : nombre entier"),
    ("qf_debut", "foyer : jj/mm/aaaa"),
    ("qf_fin", "foyer : jj/mm/aaaa"),
    ("prestation", "enfant : nom de la prestation où l'inscrire pour l'année scolaire en cours (plusieurs : "
                   "séparées par « | »)"),
]
REQUIRED_COLUMNS = ("foyer", "type", "nom", "prenom")
GUARDIAN, CHILD = "responsable", "enfant"
IMPORT_DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


@dataclass(frozen=True)
class EnrolmentColumn:
    """How the "prestation" column enrols a child: registered at start-up by the catalog app
    (families sits below it): `resolve` finds a service by its name (None if unknown), `enrol`
    enrols a new child in it for the current school year."""

    resolve: Callable[[str], Any | None]
    enrol: Callable[[Child, Any], None]


_enrolment_column: list[EnrolmentColumn] = []


def register_enrolment_column(column: EnrolmentColumn) -> None:
    _enrolment_column[:] = [column]


@dataclass
class ImportReport:
    """Result of an import: line errors (nothing imported) or what was created."""

    errors: list[str] = field(default_factory=list)
    households: int = 0
    guardians: int = 0
    children: int = 0
    accounts: int = 0
    enrolments: int = 0
    # The accounts created or found for the imported guardians: whom to invite afterwards.
    guardian_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return ngettext("Import refusé : %(count)d erreur, rien n'a été importé.",
                            "Import refusé : %(count)d erreurs, rien n'a été importé.",
                            len(self.errors)) % {"count": len(self.errors)}
        households = ngettext("%(count)d foyer", "%(count)d foyers", self.households) % {"count": self.households}
        guardians = ngettext("%(count)d responsable", "%(count)d responsables", self.guardians) % {
            "count": self.guardians}
        children = ngettext("%(count)d enfant", "%(count)d enfants", self.children) % {"count": self.children}
        summary = _("Importés : %(households)s, %(guardians)s et %(children)s.") % {
            "households": households, "guardians": guardians, "children": children}
        if self.enrolments:
            summary += " " + ngettext("%(count)d inscription à une prestation.",
                                      "%(count)d inscriptions à une prestation.",
                                      self.enrolments) % {"count": self.enrolments}
        return summary


# --- One form per row kind ---------------------------------------------------------------------
# Fields are named after the CSV columns and declared in the order their errors are listed.


class _DateColumn(forms.DateField):
    def __init__(self, column: str, **kwargs):
        self.column = column
        kwargs.setdefault("required", False)
        super().__init__(input_formats=IMPORT_DATE_FORMATS, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(_("« %(column)s » n'est pas une date valide (jj/mm/aaaa).") % {"column": self.column},
                                  code="invalid") from None


class _LowercaseChoiceField(forms.ChoiceField):
    """A code of the previous system, whatever its case ("MME", "Mere")."""

    def to_python(self, value):
        return super().to_python(value).lower()


class _PhoneColumn(forms.CharField):
    def __init__(self, column: str, **kwargs):
        self.column = column
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        try:
            return normalize_phone(super().clean(value))
        except ValidationError:
            raise ValidationError(_("numéro de téléphone invalide dans « %(column)s ».") % {"column": self.column},
                                  code="invalid_phone") from None


class RowForm(forms.Form):
    """The columns of every row; alone, it checks a row whose type is unknown."""

    foyer = forms.CharField(error_messages={
        "required": gettext_lazy("la référence du foyer (colonne « foyer ») est obligatoire.")})
    type = _LowercaseChoiceField(choices=[(GUARDIAN, GUARDIAN), (CHILD, CHILD)], error_messages={
        "required": gettext_lazy("le type doit être « responsable » ou « enfant »."),
        "invalid_choice": gettext_lazy("le type doit être « responsable » ou « enfant »."),
    })
    nom = forms.CharField(required=False)
    prenom = forms.CharField(required=False)
    date_naissance = _DateColumn("date_naissance")

    def clean_prenom(self) -> str:
        if not self.cleaned_data.get("nom") or not self.cleaned_data["prenom"]:
            raise ValidationError(_("le nom et le prénom sont obligatoires."), code="required")
        return self.cleaned_data["prenom"]

    def clean_date_naissance(self) -> date | None:
        birth_date = self.cleaned_data["date_naissance"]
        if birth_date and birth_date > town_today():
            raise ValidationError(_("la date de naissance ne peut pas être dans le futur."), code="future_date")
        return birth_date

    def _person(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"first_name": data["prenom"], "last_name": data["nom"], "birth_date": data["date_naissance"]}


class GuardianRowForm(RowForm):
    """A guardian's row; `emails_seen` (e-mail → first line) spans the file, each row adds its own."""

    email = forms.CharField(required=False)
    telephone_portable = _PhoneColumn("telephone_portable")
    telephone_domicile = _PhoneColumn("telephone_domicile")
    telephone_travail = _PhoneColumn("telephone_travail")
    civilite = _LowercaseChoiceField(required=False, choices=[("", ""), *Guardian.Civility.choices], error_messages={
        "invalid_choice": gettext_lazy("civilité inconnue « %(value)s » (mme ou m).")})
    lien = _LowercaseChoiceField(required=False, choices=[("", ""), *Guardian.Relationship.choices], error_messages={
        "invalid_choice": gettext_lazy("lien inconnu « %(value)s ».")})

    def __init__(self, *args, line: int, emails_seen: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.line, self.emails_seen = line, emails_seen

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if not email:
            return email
        try:
            BY_KEY["guardian.email"].form_field().clean(email)
        except ValidationError:
            raise ValidationError(_("adresse e-mail invalide « %(email)s ».") % {"email": email},
                                  code="invalid") from None
        first_line = self.emails_seen.setdefault(email, self.line)
        if first_line != self.line:
            raise ValidationError(_("l'adresse e-mail %(email)s figure déjà à la ligne %(other)d.")
                                  % {"email": email, "other": first_line}, code="duplicate")
        if (Guardian.objects.filter(email__iexact=email).exists()
                or get_user_model().objects.filter(email__iexact=email).exists()):
            raise ValidationError(_("l'adresse e-mail %(email)s est déjà utilisée dans la commune.")
                                  % {"email": email}, code="taken")
        return email

    def guardian_data(self) -> dict[str, Any]:
        """guardian_create's arguments (the form is valid)."""
        data = self.cleaned_data
        return {**self._person(), "email": data["email"], "mobile_phone": data["telephone_portable"],
                "home_phone": data["telephone_domicile"], "work_phone": data["telephone_travail"],
                "civility": data["civilite"], "relationship": data["lien"]}


class ChildRowForm(RowForm):
    date_naissance = _DateColumn("date_naissance", required=True, error_messages={
        "required": gettext_lazy("la date de naissance d'un enfant est obligatoire.")})
    ville_naissance = forms.CharField(required=False)
    sexe = forms.CharField(required=False)
    regime = _LowercaseChoiceField(required=False, choices=Child.Diet.choices, error_messages={
        "invalid_choice": gettext_lazy("régime alimentaire inconnu « %(value)s »."),
    })
    prestation = forms.CharField(required=False)

    def clean_prestation(self) -> list[Any]:
        names = [name.strip() for name in self.cleaned_data["prestation"].split("|") if name.strip()]
        if not names:
            return []
        if not _enrolment_column:
            raise ValidationError(_("les inscriptions aux prestations ne sont pas disponibles."), code="unavailable")
        services = []
        for name in names:
            service = _enrolment_column[0].resolve(name)
            if service is None:
                raise ValidationError(_("prestation inconnue « %(name)s » : écrivez son nom comme dans la liste "
                                        "des prestations.") % {"name": name}, code="unknown_service")
            services.append(service)
        return services

    def clean_sexe(self) -> str:
        sex = self.cleaned_data["sexe"].upper()
        if sex and sex not in Child.Sex.values:
            raise ValidationError(_("le sexe doit être F ou M."), code="invalid_choice")
        return sex

    def child_data(self) -> dict[str, Any]:
        """child_create's arguments (the form is valid)."""
        data = self.cleaned_data
        return {**self._person(), "birth_city": data["ville_naissance"], "sex": data["sexe"], "diet": data["regime"]}


class HouseholdRowForm(forms.Form):
    """The household's columns, read on its first guardian row."""

    qf_debut = _DateColumn("qf_debut")
    qf_fin = _DateColumn("qf_fin")
    code_postal = forms.CharField(required=False)
    quotient_familial = forms.CharField(required=False)
    adresse = forms.CharField(required=False)
    complement_adresse = forms.CharField(required=False)
    commune = forms.CharField(required=False)

    def clean_code_postal(self) -> str:
        try:
            validate_postcode(self.cleaned_data["code_postal"])
        except ValidationError:
            raise ValidationError(_("le code postal doit comporter 5 chiffres."), code="invalid_postcode") from None
        return self.cleaned_data["code_postal"]

    def clean_quotient_familial(self) -> int | None:
        quotient = self.cleaned_data["quotient_familial"]
        if not quotient:
            return None
        if not (quotient.isascii() and quotient.isdigit()):
            raise ValidationError(_("le quotient familial doit être un nombre entier."), code="invalid")
        return int(quotient)

    def household_data(self) -> dict[str, Any]:
        """household_create's arguments but its name and reference (the form is valid)."""
        data = self.cleaned_data
        return {"address_line": data["adresse"], "address_line2": data["complement_adresse"],
                "postcode": data["code_postal"], "city": data["commune"],
                "family_quotient": data["quotient_familial"], "family_quotient_valid_from": data["qf_debut"],
                "family_quotient_valid_until": data["qf_fin"]}


# --- The import --------------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _line_errors(number: int, *forms_: forms.Form) -> list[str]:
    return [_("Ligne %(line)d : %(message)s") % {"line": number, "message": after_colon(message)}
            for form in forms_ for messages in form.errors.values() for message in messages]


def families_import_csv(*, file) -> ImportReport:
    """Import households, guardians and children from a CSV file (one row per person).

    Every line is checked first; if any is wrong, the report lists the errors line by
    line and nothing is imported. Otherwise everything is created in one transaction, with
    a login account (no password) for each guardian who has an e-mail.
    """
    raw = file.read()
    text = _decode(raw if isinstance(raw, bytes) else raw.encode())
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    report = ImportReport()
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        report.errors.append(_("Colonnes obligatoires absentes : %(cols)s.") % {"cols": ", ".join(missing)})
        return report
    rows = []
    for number, row in enumerate(reader, start=2):
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if not any(clean.values()):
            continue
        rows.append((number, clean))
    if not rows:
        report.errors.append(_("Le fichier ne contient aucune ligne à importer."))
        return report

    plan = _import_plan(rows, report.errors)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for ref, entry in plan.items():
                # The household is named after its first guardian.
                name = entry["guardians"][0][1].cleaned_data["nom"].upper()
                household = household_create(external_ref=ref, name=name, **entry["household"].household_data())
                report.households += 1
                for number, form in entry["guardians"]:
                    try:
                        guardian = guardian_create(household=household, **form.guardian_data())
                    except DomainError as error:
                        raise _LineError(number, error) from None
                    report.guardians += 1
                    report.accounts += 1 if guardian.user_id else 0
                    if guardian.user_id:
                        report.guardian_ids.append(guardian.pk)
                for number, form in entry["children"]:
                    try:
                        child = child_create(household=household, **form.child_data())
                        for service in form.cleaned_data["prestation"]:
                            _enrolment_column[0].enrol(child, service)
                            report.enrolments += 1
                    except DomainError as error:
                        raise _LineError(number, error) from None
                    report.children += 1
    except _LineError as failure:
        report.errors.append(_("Ligne %(line)d : %(message)s") % {"line": failure.line,
                                                                   "message": failure.error.message})
        report.households = report.guardians = report.children = report.accounts = report.enrolments = 0
        report.guardian_ids = []
    return report


class _LineError(Exception):
    def __init__(self, line: int, error: DomainError):
        super().__init__(str(error.message))
        self.line, self.error = line, error


def _import_plan(rows, errors: list[str]) -> dict[str, dict]:
    """The valid forms of each household (by reference): its household form, its guardians' and
    children's rows with their line numbers. Line errors are appended to `errors`."""
    plan: dict[str, dict] = {}
    emails_seen: dict[str, int] = {}
    for number, row in rows:
        kind = row.get("type", "").lower()
        form: RowForm
        if kind == GUARDIAN:
            form = GuardianRowForm(row, line=number, emails_seen=emails_seen)
        elif kind == CHILD:
            form = ChildRowForm(row)
        else:
            form = RowForm(row)
        checked: list[forms.Form] = [form]
        entry = plan.setdefault(row.get("foyer", ""), {"household": None, "guardians": [], "children": [],
                                                       "line": number})
        if isinstance(form, GuardianRowForm):
            if entry["household"] is None:
                household_form = HouseholdRowForm(row)
                entry["household"] = household_form
                checked.append(household_form)
            entry["guardians"].append((number, form))
        elif isinstance(form, ChildRowForm):
            entry["children"].append((number, form))
        errors.extend(_line_errors(number, *checked))
    for ref, entry in plan.items():
        if ref and not entry["guardians"]:
            errors.append(_("Ligne %(line)d : le foyer « %(ref)s » n'a aucun responsable.")
                          % {"line": entry["line"], "ref": ref})
        if ref and Household.objects.filter(external_ref=ref).exists():
            errors.append(_("Ligne %(line)d : le foyer « %(ref)s » a déjà été importé.")
                          % {"line": entry["line"], "ref": ref})
    return plan
