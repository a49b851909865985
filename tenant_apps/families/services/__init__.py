"""Every write of the family record. The portal pages, the REST API, the staff screens, the
admin and the CSV import (families.imports) call these functions, so policy, validation and
audit apply once. One module per concern; callers import from the package.

`as_parent=True` means the caller is a guardian: the staff's field policy is enforced
(403 on a read-only field) and edits to audited fields are written to the audit trail.
"""

from .child_records import (
    allergy_add,
    allergy_remove,
    authorisation_set,
    contact_add,
    contact_remove,
    document_add,
    document_remove,
    school_placement_set,
    vaccine_add,
    vaccine_remove,
)
from .creation import child_create, guardian_create, household_create
from .guardian_logins import guardian_email_check, guardian_login_sync
from .policies import Policy, field_policies, field_policy, field_policy_set
from .records import field_update, record_update

__all__ = [
    "Policy",
    "allergy_add",
    "allergy_remove",
    "authorisation_set",
    "child_create",
    "contact_add",
    "contact_remove",
    "document_add",
    "document_remove",
    "field_policies",
    "field_policy",
    "field_policy_set",
    "field_update",
    "guardian_create",
    "guardian_email_check",
    "guardian_login_sync",
    "household_create",
    "record_update",
    "school_placement_set",
    "vaccine_add",
    "vaccine_remove",
]
