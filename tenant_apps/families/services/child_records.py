"""Sub-records of a child: allergies, vaccines, emergency and pick-up contacts, authorisations,
documents and school placement."""

import uuid
from datetime import date
from functools import partial
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor, signed_in

from .. import forms as family_forms
from ..errors import InvalidValue, RecordNotFound
from ..models import (
    Allergy,
    Authorisation,
    Child,
    ChildDocument,
    EmergencyContact,
    PickupContact,
    SchoolPlacement,
    Vaccine,
)
from .audit import audit_change
from .policies import check_editable, field_policy

CONTACT_MODELS: dict[str, type[EmergencyContact] | type[PickupContact]] = {
    "emergency": EmergencyContact, "pickup": PickupContact}
CONTACT_KEYS = {"emergency": "child.emergency_contacts", "pickup": "child.pickup_contacts"}


def _validated(form_class: type[forms.Form], data: dict[str, Any],
               files: MultiValueDict[str, UploadedFile] | None = None) -> dict[str, Any]:
    form = form_class(data, files)
    if not form.is_valid():
        raise InvalidValue(errors={name: [str(e) for e in errs] for name, errs in form.errors.items()})
    return form.cleaned_data


def _collection_change(*, actor: Actor, child: Child, key: str, as_parent: bool, old: str = "", new: str = "") -> None:
    policy = field_policy(key)
    if as_parent and policy.audited:
        audit_change(actor=actor, household=child.household, key=key, subject=str(child), old=old, new=new)


@transaction.atomic
def allergy_add(*, actor: Actor, child: Child, name: str, details: str = "", as_parent: bool = True) -> Allergy:
    check_editable("child.allergies", as_parent)
    data = _validated(family_forms.AllergyForm, {"name": name, "details": details})
    allergy = Allergy.objects.create(child=child, **data)
    _collection_change(actor=actor, child=child, key="child.allergies", as_parent=as_parent, new=str(allergy))
    return allergy


@transaction.atomic
def allergy_remove(*, actor: Actor, child: Child, allergy_id: int, as_parent: bool = True) -> None:
    check_editable("child.allergies", as_parent)
    allergy = child.allergies.filter(pk=allergy_id).first()
    if allergy is None:
        raise RecordNotFound()
    allergy.delete()
    _collection_change(actor=actor, child=child, key="child.allergies", as_parent=as_parent, old=str(allergy))


@transaction.atomic
def vaccine_add(*, actor: Actor, child: Child, name: str, given_on: date | str, as_parent: bool = True) -> Vaccine:
    check_editable("child.vaccines", as_parent)
    if isinstance(given_on, date):
        given_on = given_on.isoformat()
    data = _validated(family_forms.VaccineForm, {"name": name, "given_on": given_on})
    vaccine = Vaccine.objects.create(child=child, **data)
    _collection_change(actor=actor, child=child, key="child.vaccines", as_parent=as_parent, new=str(vaccine))
    return vaccine


@transaction.atomic
def vaccine_remove(*, actor: Actor, child: Child, vaccine_id: int, as_parent: bool = True) -> None:
    check_editable("child.vaccines", as_parent)
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
    check_editable(CONTACT_KEYS[kind], as_parent)
    data = _validated(family_forms.ContactForm, {"name": name, "relationship": relationship, "phone": phone})
    contact = CONTACT_MODELS[kind].objects.create(child=child, **data)
    _collection_change(actor=actor, child=child, key=CONTACT_KEYS[kind], as_parent=as_parent, new=str(contact))
    return contact


@transaction.atomic
def contact_remove(*, actor: Actor, child: Child, kind: str, contact_id: int, as_parent: bool = True) -> None:
    if kind not in CONTACT_MODELS:
        raise RecordNotFound()
    check_editable(CONTACT_KEYS[kind], as_parent)
    contact = CONTACT_MODELS[kind].objects.filter(child=child, pk=contact_id).first()
    if contact is None:
        raise RecordNotFound()
    contact.delete()
    _collection_change(actor=actor, child=child, key=CONTACT_KEYS[kind], as_parent=as_parent, old=str(contact))


@transaction.atomic
def authorisation_set(*, actor: Actor, child: Child, kind: str, granted: bool, as_parent: bool = True) -> Authorisation:
    check_editable("child.authorisations", as_parent)
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
    check_editable("child.documents", as_parent)
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
    check_editable("child.documents", as_parent)
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
    check_editable("child.school_placement", as_parent)
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
