"""The audit trail: a parent's edit of an audited field is written as a FieldChange."""

from django.utils import timezone

from ..models import FieldChange, Household


def household_of_record(obj) -> Household:
    return obj if isinstance(obj, Household) else obj.household


def audit_change(*, actor, household: Household, key: str, subject: str, old: str, new: str) -> FieldChange:
    return FieldChange.objects.create(
        household=household, changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        field_key=key, subject=subject, old_value=old, new_value=new, changed_at=timezone.now(),
    )


def audit_subject(obj) -> str:
    if isinstance(obj, Household):
        return f"Foyer {obj.name}"
    return str(obj)
