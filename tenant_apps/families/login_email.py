"""A guardian's e-mail is their login: who may change it, and how the record follows.

A parent changes only their own e-mail, and only through the confirmation flow of
`accounts.email_change` (the new address confirms, the old one is told); another
guardian's e-mail is read-only for them, on the pages and in the API. Staff ask for the
change in the admin. Once the new address confirms, the guardian's record takes it and the
audit trail says who asked — always, whatever the field policy: a login change is a
security event.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor
from tenant_apps.accounts.email_change import email_change_pending
from tenant_apps.accounts.errors import EmailTaken
from tenant_apps.accounts.models import EmailChangeRequest

from .models import FieldChange, Guardian

KEY = "guardian.email"


def parent_may_change_email(*, actor: Actor, guardian: Guardian) -> bool:
    """Whether the signed-in parent `actor` may change `guardian`'s e-mail: their own only."""
    return guardian.user_id is not None and guardian.user_id == getattr(actor, "pk", None)


def not_yours_message(guardian: Guardian) -> str:
    return _("Seule cette personne, ou les services de la mairie, peut modifier l'adresse e-mail de %(name)s : "
             "c'est son identifiant de connexion.") % {"name": guardian}


def pending_email(guardian: Guardian) -> str:
    """The address waiting to confirm that it becomes the guardian's login ("" if none)."""
    if guardian.user is None:
        return ""
    change = email_change_pending(user=guardian.user)
    return change.new_email if change else ""


def guardian_follows_login_email(change: EmailChangeRequest) -> None:
    """Registered with `accounts.email_change.follow_login_email`: the guardian's record
    takes the confirmed address, and the audit trail keeps the change."""
    guardian = Guardian.objects.select_for_update().filter(user_id=change.user_id).first()
    if guardian is None:
        return
    if Guardian.objects.filter(email__iexact=change.new_email).exclude(pk=guardian.pk).exists():
        raise EmailTaken()
    old = guardian.email
    guardian.email = change.new_email
    guardian.save(update_fields=["email", "updated_at"])
    FieldChange.objects.create(
        household_id=guardian.household_id, changed_by=change.requested_by, field_key=KEY, subject=str(guardian),
        old_value=old, new_value=change.new_email, changed_at=change.confirmed_at or timezone.now(),
    )

