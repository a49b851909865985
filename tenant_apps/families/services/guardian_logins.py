"""A guardian's login account: their e-mail is unique in the town (guardians and accounts alike),
and the account follows the guardian's e-mail and name."""

from django.contrib.auth import get_user_model
from django.db import transaction

from tenant_apps.accounts.services import account_for_guardian

from ..errors import EmailAlreadyUsed, InvalidValue
from ..models import Guardian


def guardian_email_check(*, email: str, guardian: Guardian | None) -> None:
    """Raise InvalidValue if `email` is used by another guardian or account of the town."""
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
def guardian_login_sync(*, guardian: Guardian) -> Guardian:
    """After a staff edit: give the guardian a login account if they have an e-mail and none,
    and keep the account's name in step with the guardian's. An existing login's e-mail is
    not changed here (see login_email.py): the record is put back to it."""
    if not guardian.email:
        return guardian
    user = guardian.user
    if user is None:
        guardian_email_check(email=guardian.email, guardian=guardian)
        guardian.user = account_for_guardian(email=guardian.email, first_name=guardian.first_name,
                                             last_name=guardian.last_name)
        guardian.save(update_fields=["user", "updated_at"])
        return guardian
    if guardian.email.lower() != user.email.lower():
        # The login changes only through a confirmed request (login_email.py): the record keeps the login's.
        guardian.email = user.email
        guardian.save(update_fields=["email", "updated_at"])
    if (user.first_name, user.last_name) != (guardian.first_name, guardian.last_name):
        user.first_name, user.last_name = guardian.first_name, guardian.last_name
        user.save(update_fields=["first_name", "last_name"])
    return guardian
