"""The audit trail: a parent's edit of an audited field is written as a FieldChange."""

from django.utils import timezone

from tenant_apps.accounts.actors import Actor, signed_in

from ..models import FieldChange, Household
from ..selectors import Record


def household_of_record(obj: Record) -> Household:
    return obj if isinstance(obj, Household) else obj.household


def audit_change(*, actor: Actor, household: Household, key: str, subject: str, old: str, new: str) -> FieldChange:
    return FieldChange.objects.create(
        household=household, changed_by=signed_in(actor),
        field_key=key, subject=subject, old_value=old, new_value=new, changed_at=timezone.now(),
    )


def audit_subject(obj: Record) -> str:
    if isinstance(obj, Household):
        return f"Foyer {obj.name}"
    return str(obj)
