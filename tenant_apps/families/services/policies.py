"""Field policies: which fields of the record parents may edit, and which edits are audited
(the staff's choice, else the field's default)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..errors import FieldReadOnly, UnknownField
from ..fields import BY_KEY, SPECS
from ..models import FieldPolicy


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


def check_editable(key: str, as_parent: bool) -> Policy:
    policy = field_policy(key)
    if as_parent and not policy.editable_by_parents:
        raise FieldReadOnly(_("« %(field)s » ne peut être modifié que par les services de la mairie.")
                            % {"field": BY_KEY[key].label})
    return policy
