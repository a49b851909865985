"""Every write of the family record. The portal pages, the REST API, the staff screens, the
admin and the CSV import call these functions, so policy, validation and audit apply once.

`as_parent=True` means the caller is a guardian: the staff's field policy is enforced
(403 on a read-only field) and edits to audited fields are written to the audit trail.
"""

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import IO, Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.accounts.models import User
from tenant_apps.core.clock import town_today
from tenants.errors import DomainError

from . import forms as family_forms
from .fields import BY_KEY, SPECS, FieldSpec, display_value
from .models import (
    Allergy,
    Authorisation,
    Child,
    ChildDocument,
    EmergencyContact,
    FieldChange,
    FieldPolicy,
    Guardian,
    Household,
    PickupContact,
    SchoolPlacement,
    Vaccine,
)
from .selectors import Record
from .validators import normalize_phone, validate_not_future, validate_postcode

CONTACT_MODELS: dict[str, type[EmergencyContact] | type[PickupContact]] = {
    "emergency": EmergencyContact, "pickup": PickupContact}
CONTACT_KEYS = {"emergency": "child.emergency_contacts", "pickup": "child.pickup_contacts"}


# --- Errors ----------------------------------------------------------------------------------


class FieldReadOnly(DomainError):
    code = "field_read_only"
    http_status = 403
    default_message = "Cette information ne peut être modifiée que par les services de la mairie."


class InvalidValue(DomainError):
    code = "invalid_value"
    default_message = "Les informations saisies ne sont pas valables."

    def __init__(self, message: str | None = None, *, errors: dict[str, list[str]] | None = None) -> None:
        self.errors = errors or {}
        if message is None and self.errors:
            message = " ".join(m for messages in self.errors.values() for m in messages)
        super().__init__(message)


class EmailAlreadyUsed(DomainError):
    code = "email_taken"
    default_message = "Cette adresse e-mail est déjà utilisée par un autre compte de la commune."


class RecordNotFound(DomainError):
    code = "not_found"
    http_status = 404
    default_message = "Élément introuvable."


class UnknownField(DomainError):
    code = "unknown_field"
    default_message = "Ce champ n'existe pas."


# --- Field policy ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    editable_by_parents: bool
    audited: bool


def field_policies() -> dict[str, Policy]:
    """The effective policy of every key: the staff's row if any, else the default."""
    rows = {row.key: row for row in FieldPolicy.objects.all()}
    out = {}
    for spec in SPECS:
        row = rows.get(spec.key)
        out[spec.key] = (Policy(row.editable_by_parents, row.audited) if row
                         else Policy(spec.editable, spec.audited))
    return out


def field_policy(key: str) -> Policy:
    spec = BY_KEY[key]
    row = FieldPolicy.objects.filter(key=key).first()
    return Policy(row.editable_by_parents, row.audited) if row else Policy(spec.editable, spec.audited)


def field_policy_set(*, key: str, editable_by_parents: bool, audited: bool) -> FieldPolicy:
    if key not in BY_KEY:
        raise UnknownField()
    row, _created = FieldPolicy.objects.update_or_create(
        key=key, defaults={"editable_by_parents": editable_by_parents, "audited": audited}
    )
    return row


def _check_editable(key: str, as_parent: bool) -> Policy:
    policy = field_policy(key)
    if as_parent and not policy.editable_by_parents:
        raise FieldReadOnly(_("« %(field)s » ne peut être modifié que par les services de la mairie.")
                            % {"field": BY_KEY[key].label})
    return policy


def _household_of(obj: Record) -> Household:
    return obj if isinstance(obj, Household) else obj.household


def _audit(*, actor: Actor, household: Household, key: str, subject: str, old: str, new: str) -> FieldChange:
    return FieldChange.objects.create(
        household=household, changed_by=signed_in(actor),
        field_key=key, subject=subject, old_value=old, new_value=new, changed_at=timezone.now(),
    )


def _subject(obj: Record) -> str:
    if isinstance(obj, Household):
        return f"Foyer {obj.name}"
    return str(obj)


# --- Single fields of Household / Guardian / Child ------------------------------------------------


def _clean_values(obj: Record, values: dict[str, Any]) -> dict[FieldSpec, Any]:
    scope = {Household: "household", Guardian: "guardian", Child: "child"}[type(obj)]
    cleaned: dict[FieldSpec, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, raw in values.items():
        spec = BY_KEY.get(key)
        if spec is None or spec.scope != scope or spec.is_collection:
            raise UnknownField(_("Le champ « %(key)s » n'existe pas.") % {"key": key})
        form_field = spec.form_field()
        if isinstance(raw, bool) and spec.kind == "bool":
            raw = "oui" if raw else "non"
        if isinstance(raw, date):
            raw = raw.isoformat()
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raw = str(raw)
        if raw is not None and not isinstance(raw, str):
            # A JSON array, object or true/false where one text is expected: a form field would crash on it.
            errors[key] = [_("Une seule valeur est attendue (un texte, un nombre ou une date).")]
            continue
        try:
            value = form_field.clean(raw)
        except ValidationError as error:
            errors[key] = list(error.messages)
            continue
        if value is None and spec.kind not in ("int", "date", "date_past"):
            value = ""
        if isinstance(value, str):
            value = value.strip()
        cleaned[spec] = value
    if errors:
        raise InvalidValue(errors=errors)
    return cleaned


def _email_available(email: str, *, guardian: Guardian | None) -> None:
    if not email:
        return
    User = get_user_model()
    others = Guardian.objects.filter(email__iexact=email)
    users = User.objects.filter(email__iexact=email)
    if guardian is not None:
        others = others.exclude(pk=guardian.pk)
        if guardian.user_id:
            users = users.exclude(pk=guardian.user_id)
    if others.exists() or users.exists():
        raise InvalidValue(errors={"guardian.email": [EmailAlreadyUsed.default_message]})


@transaction.atomic
def record_update(*, actor: Actor, obj: Record, values: dict[str, Any],
                  as_parent: bool = True) -> list[FieldChange]:
    """Change some fields of a household, guardian or child; all or nothing.

    Raises FieldReadOnly (403) for a field the staff keep read-only, InvalidValue (400)
    with French messages per field, UnknownField for a key that does not exist.
    """
    if not values:
        return []
    scope = {Household: "household", Guardian: "guardian", Child: "child"}[type(obj)]
    for key in values:
        spec = BY_KEY.get(key)
        if spec is None or spec.scope != scope or spec.is_collection:
            raise UnknownField(_("Le champ « %(key)s » n'existe pas ou ne se modifie pas ainsi.") % {"key": key})
    policies = {key: _check_editable(key, as_parent) for key in values}
    cleaned = _clean_values(obj, values)
    changes: list[FieldChange] = []
    changed_attrs: list[str] = []
    for spec, value in cleaned.items():
        old = spec.value_of(obj)
        if spec.key == "guardian.email":
            value = value.lower()
            if value != (old or "").lower():
                _email_available(value, guardian=obj if isinstance(obj, Guardian) else None)
        if old == value:
            continue
        setattr(obj, spec.attr, value)
        changed_attrs.append(spec.attr)
        if as_parent and policies[spec.key].audited:
            changes.append(_audit(actor=actor, household=_household_of(obj), key=spec.key, subject=_subject(obj),
                                  old=display_value(spec, old), new=display_value(spec, value)))
    if changed_attrs:
        obj.save(update_fields=[*changed_attrs, "updated_at"])
        if isinstance(obj, Guardian) and {"email", "first_name", "last_name"} & set(changed_attrs):
            # The e-mail is the login: the account follows (and is created if the guardian had none).
            guardian_login_sync(guardian=obj)
    return changes


def field_update(*, actor: Actor, obj: Record, key: str, value: Any, as_parent: bool = True) -> list[FieldChange]:
    return record_update(actor=actor, obj=obj, values={key: value}, as_parent=as_parent)


# --- Sub-records of a child ------------------------------------------------------------------


def _validated(form_class: type[forms.Form], data: dict[str, Any],
               files: MultiValueDict[str, UploadedFile] | None = None) -> dict[str, Any]:
    form = form_class(data, files)
    if not form.is_valid():
        raise InvalidValue(errors={name: [str(e) for e in errs] for name, errs in form.errors.items()})
    return form.cleaned_data


def _collection_change(*, actor: Actor, child: Child, key: str, as_parent: bool, old: str = "", new: str = "") -> None:
    policy = field_policy(key)
    if as_parent and policy.audited:
        _audit(actor=actor, household=child.household, key=key, subject=str(child), old=old, new=new)


@transaction.atomic
def allergy_add(*, actor: Actor, child: Child, name: str, details: str = "", as_parent: bool = True) -> Allergy:
    _check_editable("child.allergies", as_parent)
    data = _validated(family_forms.AllergyForm, {"name": name, "details": details})
    allergy = Allergy.objects.create(child=child, **data)
    _collection_change(actor=actor, child=child, key="child.allergies", as_parent=as_parent, new=str(allergy))
    return allergy


@transaction.atomic
def allergy_remove(*, actor: Actor, child: Child, allergy_id: int, as_parent: bool = True) -> None:
    _check_editable("child.allergies", as_parent)
    allergy = child.allergies.filter(pk=allergy_id).first()
    if allergy is None:
        raise RecordNotFound()
    allergy.delete()
    _collection_change(actor=actor, child=child, key="child.allergies", as_parent=as_parent, old=str(allergy))


@transaction.atomic
def vaccine_add(*, actor: Actor, child: Child, name: str, given_on: date | str, as_parent: bool = True) -> Vaccine:
    _check_editable("child.vaccines", as_parent)
    if isinstance(given_on, date):
        given_on = given_on.isoformat()
    data = _validated(family_forms.VaccineForm, {"name": name, "given_on": given_on})
    vaccine = Vaccine.objects.create(child=child, **data)
    _collection_change(actor=actor, child=child, key="child.vaccines", as_parent=as_parent, new=str(vaccine))
    return vaccine


@transaction.atomic
def vaccine_remove(*, actor: Actor, child: Child, vaccine_id: int, as_parent: bool = True) -> None:
    _check_editable("child.vaccines", as_parent)
    vaccine = child.vaccines.filter(pk=vaccine_id).first()
    if vaccine is None:
        raise RecordNotFound()
    vaccine.delete()
    _collection_change(actor=actor, child=child, key="child.vaccines", as_parent=as_parent, old=str(vaccine))


@transaction.atomic
def contact_add(*, actor: Actor, child: Child, kind: str, name: str, phone: str, relationship: str = "",
                as_parent: bool = True) -> EmergencyContact | PickupContact:
    if kind not in CONTACT_MODELS:
        raise RecordNotFound()
    _check_editable(CONTACT_KEYS[kind], as_parent)
    data = _validated(family_forms.ContactForm, {"name": name, "relationship": relationship, "phone": phone})
    contact = CONTACT_MODELS[kind].objects.create(child=child, **data)
    _collection_change(actor=actor, child=child, key=CONTACT_KEYS[kind], as_parent=as_parent, new=str(contact))
    return contact


@transaction.atomic
def contact_remove(*, actor: Actor, child: Child, kind: str, contact_id: int, as_parent: bool = True) -> None:
    if kind not in CONTACT_MODELS:
        raise RecordNotFound()
    _check_editable(CONTACT_KEYS[kind], as_parent)
    contact = CONTACT_MODELS[kind].objects.filter(child=child, pk=contact_id).first()
    if contact is None:
        raise RecordNotFound()
    contact.delete()
    _collection_change(actor=actor, child=child, key=CONTACT_KEYS[kind], as_parent=as_parent, old=str(contact))


@transaction.atomic
def authorisation_set(*, actor: Actor, child: Child, kind: str, granted: bool, as_parent: bool = True) -> Authorisation:
    _check_editable("child.authorisations", as_parent)
    data = _validated(family_forms.AuthorisationForm, {"kind": kind, "granted": granted})
    row = Authorisation.objects.select_for_update().filter(child=child, kind=data["kind"]).first()
    old = "" if row is None else ("oui" if row.granted else "non")
    if row is None:
        row = Authorisation(child=child, kind=data["kind"])
    row.granted = data["granted"]
    row.save()
    new = "oui" if row.granted else "non"
    if old != new:
        label = row.get_kind_display()
        _collection_change(actor=actor, child=child, key="child.authorisations", as_parent=as_parent,
                           old=f"{label} : {old}" if old else "", new=f"{label} : {new}")
    return row


@transaction.atomic
def document_add(*, actor: Actor, child: Child, title: str, file: UploadedFile, as_parent: bool = True) -> ChildDocument:
    """Store a parent's document after checking its real type (by content) and its size."""
    _check_editable("child.documents", as_parent)
    data = _validated(family_forms.DocumentForm, {"title": title}, MultiValueDict({"file": [file]}))
    upload = data["file"]
    mime = upload.detected_mime
    document = ChildDocument(child=child, title=data["title"], content_type=mime, size=upload.size,
                             uploaded_by=signed_in(actor))
    stored_name = f"{uuid.uuid4().hex}.{family_forms.ACCEPTED_DOCUMENT_TYPES[mime]}"
    document.file.save(stored_name, upload, save=False)
    document.save()
    _collection_change(actor=actor, child=child, key="child.documents", as_parent=as_parent, new=document.title)
    return document


@transaction.atomic
def document_remove(*, actor: Actor, child: Child, document_id: int, as_parent: bool = True) -> None:
    _check_editable("child.documents", as_parent)
    document = child.documents.filter(pk=document_id).first()
    if document is None:
        raise RecordNotFound()
    name = document.file.name
    document.delete()
    if name:
        transaction.on_commit(partial(document.file.storage.delete, name))
    _collection_change(actor=actor, child=child, key="child.documents", as_parent=as_parent, old=document.title)


@transaction.atomic
def school_placement_set(*, actor: Actor, child: Child, school_year: str, school: str, level: str = "",
                         school_class: str = "", as_parent: bool = False) -> SchoolPlacement:
    _check_editable("child.school_placement", as_parent)
    errors: dict[str, list[str]] = {}
    if not _is_school_year(school_year):
        errors["school_year"] = [_("L'année scolaire s'écrit comme 2026-2027.")]
    if not school.strip():
        errors["school"] = [_("Indiquez l'école.")]
    if errors:
        raise InvalidValue(errors=errors)
    placement, _created = SchoolPlacement.objects.update_or_create(
        child=child, school_year=school_year,
        defaults={"school": school.strip(), "level": level.strip(), "school_class": school_class.strip()},
    )
    return placement


def _is_school_year(value: str) -> bool:
    parts = (value or "").split("-")
    return (len(parts) == 2 and all(p.isdigit() and len(p) == 4 for p in parts)
            and int(parts[1]) == int(parts[0]) + 1)


# --- Creation (staff, import, demo) ---------------------------------------------------------------


def account_for_guardian(*, email: str, first_name: str, last_name: str) -> User:
    """The guardian's login account (no password: they use "Nouveau mot de passe")."""
    from tenant_apps.accounts.services import account_for_guardian as upstream

    return upstream(email=email, first_name=first_name, last_name=last_name)


@transaction.atomic
def household_create(*, name: str, address_line: str = "", address_line2: str = "", postcode: str = "",
                     city: str = "", family_quotient: int | None = None,
                     family_quotient_valid_from: date | None = None, family_quotient_valid_until: date | None = None,
                     external_ref: str = "") -> Household:
    if not name.strip():
        raise InvalidValue(errors={"name": [_("Indiquez le nom du foyer.")]})
    try:
        validate_postcode(postcode)
    except ValidationError as error:
        raise InvalidValue(errors={"postcode": list(error.messages)}) from None
    return Household.objects.create(
        name=name.strip(), address_line=address_line, address_line2=address_line2, postcode=postcode, city=city,
        family_quotient=family_quotient, family_quotient_valid_from=family_quotient_valid_from,
        family_quotient_valid_until=family_quotient_valid_until, external_ref=external_ref,
    )


@transaction.atomic
def guardian_create(*, household: Household, first_name: str, last_name: str, email: str = "",
                    with_account: bool = True, **details: Any) -> Guardian:
    """Add a guardian to a household; with an e-mail, also their login account (no password)."""
    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if not first_name.strip() or not last_name.strip():
        errors["name"] = [_("Indiquez le nom et le prénom du responsable.")]
    for attr in ("mobile_phone", "home_phone", "work_phone"):
        try:
            details[attr] = normalize_phone(details.get(attr, ""))
        except ValidationError as error:
            errors[attr] = list(error.messages)
    if details.get("birth_date"):
        try:
            validate_not_future(details["birth_date"])
        except ValidationError as error:
            errors["birth_date"] = list(error.messages)
    if email:
        try:
            BY_KEY["guardian.email"].form_field().clean(email)
            _email_available(email, guardian=None)
        except ValidationError as error:
            errors["email"] = list(error.messages)
        except InvalidValue as error:
            errors["email"] = [str(error.message)]
    if errors:
        raise InvalidValue(errors=errors)
    guardian = Guardian(household=household, first_name=first_name.strip(), last_name=last_name.strip(), email=email,
                        **{k: v for k, v in details.items() if v not in (None,)})
    if email and with_account:
        guardian.user = account_for_guardian(email=email, first_name=guardian.first_name,
                                             last_name=guardian.last_name)
    guardian.save()
    return guardian


def guardian_email_check(*, email: str, guardian: Guardian | None) -> None:
    """Raise InvalidValue if `email` is used by another guardian or account of the town."""
    _email_available(email, guardian=guardian)


@transaction.atomic
def guardian_login_sync(*, guardian: Guardian) -> Guardian:
    """After a staff edit: give the guardian a login account if they have an e-mail and none,
    and keep the account's e-mail and name in step with the guardian's."""
    if not guardian.email:
        return guardian
    user = guardian.user
    if user is None:
        _email_available(guardian.email, guardian=guardian)
        guardian.user = account_for_guardian(email=guardian.email, first_name=guardian.first_name,
                                             last_name=guardian.last_name)
        guardian.save(update_fields=["user", "updated_at"])
        return guardian
    if (user.email, user.first_name, user.last_name) != (guardian.email, guardian.first_name, guardian.last_name):
        user.email, user.first_name, user.last_name = guardian.email, guardian.first_name, guardian.last_name
        user.save(update_fields=["email", "first_name", "last_name"])
    return guardian


@transaction.atomic
def child_create(*, household: Household, first_name: str, last_name: str, birth_date: date,
                 birth_city: str = "", sex: str = "", diet: str = "", **details: Any) -> Child:
    errors: dict[str, list[str]] = {}
    if not first_name.strip() or not last_name.strip():
        errors["name"] = [_("Indiquez le nom et le prénom de l'enfant.")]
    if birth_date is None:
        errors["birth_date"] = [_("Indiquez la date de naissance de l'enfant.")]
    else:
        try:
            validate_not_future(birth_date)
        except ValidationError as error:
            errors["birth_date"] = list(error.messages)
    if sex and sex not in Child.Sex.values:
        errors["sex"] = [_("Le sexe doit être F ou M.")]
    if diet and diet not in Child.Diet.values:
        errors["diet"] = [_("Régime alimentaire inconnu.")]
    if errors:
        raise InvalidValue(errors=errors)
    return Child.objects.create(household=household, first_name=first_name.strip(), last_name=last_name.strip(),
                                birth_date=birth_date, birth_city=birth_city, sex=sex, diet=diet, **details)


# --- CSV import ------------------------------------------------------------------------------------

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
]
REQUIRED_COLUMNS = ("foyer", "type", "nom", "prenom")


@dataclass
class ImportReport:
    """Result of an import: line errors (nothing imported) or what was created."""

    errors: list[str] = field(default_factory=list)
    households: int = 0
    guardians: int = 0
    children: int = 0
    accounts: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return _("Import refusé : %(count)d erreur(s), rien n'a été importé.") % {"count": len(self.errors)}
        return _("%(h)d foyer(s), %(g)d responsable(s) et %(c)d enfant(s) importés.") % {
            "h": self.households, "g": self.guardians, "c": self.children}


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _parse_date(value: str, line: int, column: str, errors: list[str]) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, not a datetime
        except ValueError:
            continue
    errors.append(_("Ligne %(line)d : « %(column)s » n'est pas une date valide (jj/mm/aaaa).")
                  % {"line": line, "column": column})
    return None


def families_import_csv(*, file: IO[bytes] | File) -> ImportReport:
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
                household = household_create(external_ref=ref, **entry["household"])
                report.households += 1
                for number, data in entry["guardians"]:
                    try:
                        guardian = guardian_create(household=household, **data)
                    except DomainError as error:
                        raise _LineError(number, error) from None
                    report.guardians += 1
                    report.accounts += 1 if guardian.user_id else 0
                for number, data in entry["children"]:
                    try:
                        child_create(household=household, **data)
                    except DomainError as error:
                        raise _LineError(number, error) from None
                    report.children += 1
    except _LineError as failure:
        report.errors.append(_("Ligne %(line)d : %(message)s") % {"line": failure.line,
                                                                   "message": failure.error.message})
        report.households = report.guardians = report.children = report.accounts = 0
    return report


class _LineError(Exception):
    def __init__(self, line: int, error: DomainError):
        super().__init__(str(error.message))
        self.line, self.error = line, error


def _import_plan(rows: list[tuple[int, dict[str, str]]], errors: list[str]) -> dict[str, dict[str, Any]]:
    plan: dict[str, dict] = {}
    emails_seen: dict[str, int] = {}
    User = get_user_model()
    for number, row in rows:
        line_errors: list[str] = []

        def bad(message: str, number: int = number, line_errors: list[str] = line_errors) -> None:
            line_errors.append(_("Ligne %(line)d : %(message)s") % {"line": number, "message": message})

        ref, kind = row.get("foyer", ""), row.get("type", "").lower()
        if not ref:
            bad(_("la référence du foyer (colonne « foyer ») est obligatoire."))
        if kind not in ("responsable", "enfant"):
            bad(_("le type doit être « responsable » ou « enfant »."))
        if not row.get("nom") or not row.get("prenom"):
            bad(_("le nom et le prénom sont obligatoires."))
        birth_date = _parse_date(row.get("date_naissance", ""), number, "date_naissance", line_errors)
        if birth_date and birth_date > town_today():
            bad(_("la date de naissance ne peut pas être dans le futur."))
        entry = plan.setdefault(ref, {"household": None, "guardians": [], "children": [], "line": number})
        if kind == "responsable":
            data = {"first_name": row.get("prenom", ""), "last_name": row.get("nom", ""), "birth_date": birth_date}
            email = row.get("email", "").lower()
            if email:
                try:
                    BY_KEY["guardian.email"].form_field().clean(email)
                except ValidationError:
                    bad(_("adresse e-mail invalide « %(email)s ».") % {"email": email})
                else:
                    if email in emails_seen:
                        bad(_("l'adresse e-mail %(email)s figure déjà à la ligne %(other)d.")
                            % {"email": email, "other": emails_seen[email]})
                    elif (Guardian.objects.filter(email__iexact=email).exists()
                          or User.objects.filter(email__iexact=email).exists()):
                        bad(_("l'adresse e-mail %(email)s est déjà utilisée dans la commune.") % {"email": email})
                    emails_seen.setdefault(email, number)
            data["email"] = email
            for column, attr in (("telephone_portable", "mobile_phone"), ("telephone_domicile", "home_phone"),
                                 ("telephone_travail", "work_phone")):
                try:
                    data[attr] = normalize_phone(row.get(column, ""))
                except ValidationError:
                    bad(_("numéro de téléphone invalide dans « %(column)s ».") % {"column": column})
            civility = row.get("civilite", "").lower()
            if civility and civility not in Guardian.Civility.values:
                bad(_("civilité inconnue « %(value)s » (mme ou m).") % {"value": civility})
            relationship = row.get("lien", "").lower()
            if relationship and relationship not in Guardian.Relationship.values:
                bad(_("lien inconnu « %(value)s ».") % {"value": relationship})
            data.update(civility=civility, relationship=relationship)
            if entry["household"] is None:
                household = _household_from_row(row, number, line_errors)
                household.setdefault("name", row.get("nom", "").upper())
                entry["household"] = household
            entry["guardians"].append((number, data))
        elif kind == "enfant":
            if birth_date is None and not any("date_naissance" in e for e in line_errors):
                bad(_("la date de naissance d'un enfant est obligatoire."))
            sex = row.get("sexe", "").upper()
            if sex and sex not in Child.Sex.values:
                bad(_("le sexe doit être F ou M."))
            diet = row.get("regime", "").lower()
            if diet and diet not in Child.Diet.values:
                bad(_("régime alimentaire inconnu « %(value)s ».") % {"value": diet})
            entry["children"].append((number, {
                "first_name": row.get("prenom", ""), "last_name": row.get("nom", ""), "birth_date": birth_date,
                "birth_city": row.get("ville_naissance", ""), "sex": sex, "diet": diet,
            }))
        errors.extend(line_errors)
    for ref, entry in plan.items():
        if ref and not entry["guardians"]:
            errors.append(_("Ligne %(line)d : le foyer « %(ref)s » n'a aucun responsable.")
                          % {"line": entry["line"], "ref": ref})
        if ref and Household.objects.filter(external_ref=ref).exists():
            errors.append(_("Ligne %(line)d : le foyer « %(ref)s » a déjà été importé.")
                          % {"line": entry["line"], "ref": ref})
    return plan


def _household_from_row(row: dict, number: int, errors: list[str]) -> dict:
    data = {
        "address_line": row.get("adresse", ""), "address_line2": row.get("complement_adresse", ""),
        "postcode": row.get("code_postal", ""), "city": row.get("commune", ""),
        "family_quotient": None,
        "family_quotient_valid_from": _parse_date(row.get("qf_debut", ""), number, "qf_debut", errors),
        "family_quotient_valid_until": _parse_date(row.get("qf_fin", ""), number, "qf_fin", errors),
    }
    try:
        validate_postcode(data["postcode"])
    except ValidationError:
        errors.append(_("Ligne %(line)d : le code postal doit comporter 5 chiffres.") % {"line": number})
    quotient = row.get("quotient_familial", "")
    if quotient:
        if quotient.isdigit():
            data["family_quotient"] = int(quotient)
        else:
            errors.append(_("Ligne %(line)d : le quotient familial doit être un nombre entier.") % {"line": number})
    return data
