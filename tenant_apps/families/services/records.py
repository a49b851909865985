"""Single fields of a household, guardian or child, changed one or several at once."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.accounts.email_change import email_change_request

from .. import login_email
from ..errors import FieldReadOnly, InvalidValue, UnknownField
from ..fields import BY_KEY, FieldSpec, display_value
from ..models import Child, FieldChange, Guardian, Household
from ..selectors import Record
from .audit import audit_change, audit_subject, household_of_record
from .guardian_logins import guardian_email_check, guardian_login_sync
from .policies import check_editable


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
    policies = {key: check_editable(key, as_parent) for key in values}
    cleaned = _clean_values(obj, values)
    changes: list[FieldChange] = []
    changed_attrs: list[str] = []
    for spec, value in cleaned.items():
        old = spec.value_of(obj)
        if spec.key == "guardian.email" and isinstance(obj, Guardian):  # the key's scope: always a guardian
            value = value.lower()
            if value != (old or "").lower():
                if as_parent and not login_email.parent_may_change_email(actor=actor, guardian=obj):
                    raise FieldReadOnly(login_email.not_yours_message(obj))
                guardian_email_check(email=value, guardian=obj)
                if obj.user is not None:
                    # The e-mail is the login: the record takes it when the new address confirms.
                    email_change_request(user=obj.user, new_email=value, requested_by=signed_in(actor))
                    continue
        if old == value:
            continue
        setattr(obj, spec.attr, value)
        changed_attrs.append(spec.attr)
        if as_parent and policies[spec.key].audited:
            changes.append(audit_change(actor=actor, household=household_of_record(obj), key=spec.key, subject=audit_subject(obj),
                                  old=display_value(spec, old), new=display_value(spec, value)))
    if changed_attrs:
        obj.save(update_fields=[*changed_attrs, "updated_at"])
        if isinstance(obj, Guardian) and {"email", "first_name", "last_name"} & set(changed_attrs):
            # The e-mail is the login: the account follows (and is created if the guardian had none).
            guardian_login_sync(guardian=obj)
    return changes


def field_update(*, actor: Actor, obj: Record, key: str, value: Any, as_parent: bool = True) -> list[FieldChange]:
    return record_update(actor=actor, obj=obj, values={key: value}, as_parent=as_parent)
