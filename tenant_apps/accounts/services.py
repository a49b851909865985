"""Account writes: one-time password links, password creation, staff invitations,
guardians' accounts and API tokens."""

import secrets
from datetime import timedelta

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from tenants.outbox.services import send_on_commit

from .errors import EmailInvalid, EmailTaken, LinkExpired, LinkInvalid, LinkUsed
from .models import AccessLink, User

LINK_VALIDITY = timedelta(hours=24)
# An invitation waits for someone who did not ask for it: a week to open it.
INVITATION_VALIDITY = timedelta(days=7)


def email_normalize(email: str) -> str:
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise EmailInvalid() from None
    return email


def access_link_issue(*, user: User, purpose: str) -> str:
    """Create a link for `user`, voiding their older ones; return the raw token (never stored)."""
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        AccessLink.objects.filter(user=user, used_at__isnull=True, voided_at__isnull=True).update(voided_at=now)
        AccessLink.objects.create(
            user=user,
            token_hash=AccessLink.hash_token(token),
            purpose=purpose,
            created_at=now,
            expires_at=now + (INVITATION_VALIDITY if purpose == AccessLink.Purpose.INVITATION else LINK_VALIDITY),
        )
    return token


def access_link_get(*, token: str, for_update: bool = False) -> AccessLink:
    """The live link for `token`, or a LinkInvalid subclass that says why not."""
    queryset = AccessLink.objects.select_related("user")
    if for_update:
        queryset = queryset.select_for_update()
    link = queryset.filter(token_hash=AccessLink.hash_token(token)).first()
    if link is None or not link.user.is_active:
        raise LinkInvalid()
    if link.used_at or link.voided_at:
        raise LinkUsed()
    changed = link.user.password_changed_at
    if changed and changed > link.created_at:
        raise LinkUsed()
    if timezone.now() >= link.expires_at:
        if link.purpose == AccessLink.Purpose.INVITATION:
            raise LinkExpired(_("Ce lien d'invitation a expiré : il était valable 7 jours."))
        raise LinkExpired()
    return link


def password_set_with_link(*, token: str, password: str) -> User:
    """Create the password through a link; the link is used up. Raises ValidationError on policy."""
    with transaction.atomic():
        link = access_link_get(token=token, for_update=True)
        user = link.user
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password", "password_changed_at"])
        now = timezone.now()
        link.used_at = now
        link.save(update_fields=["used_at"])
        AccessLink.objects.filter(user=user, used_at__isnull=True, voided_at__isnull=True).update(voided_at=now)
        # A new password ends the API sessions opened with the old one.
        Token.objects.filter(user=user).delete()
    return user


def _send_password_link_on_commit(email: str, purpose: str) -> None:
    from .tasks import send_password_link

    # Stamped with the town active now: `create_town` commits after leaving the town.
    send_on_commit(send_password_link, email, purpose)


def password_reset_request(*, email: str) -> None:
    """Queue the "nouveau mot de passe" e-mail. Same work whether or not the address is known:
    the lookup happens in the job, so the answer takes the same time for every address."""
    _send_password_link_on_commit((email or "").strip().lower(), AccessLink.Purpose.RESET)


def invitation_send(*, user: User) -> None:
    """Queue (after commit) an invitation e-mail with a 7-day link for an account without password."""
    _send_password_link_on_commit(user.email, AccessLink.Purpose.INVITATION)


def staff_invite(*, email: str, first_name: str = "", last_name: str = "") -> User:
    """Create a staff (gestionnaire) account and e-mail it an invitation link."""
    email = email_normalize(email)
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise EmailTaken()
        try:
            with transaction.atomic():
                user = User.objects.create_user(email, first_name=first_name, last_name=last_name, is_staff=True)
        except IntegrityError:
            raise EmailTaken() from None
        _send_password_link_on_commit(email, AccessLink.Purpose.INVITATION)
    return user


def account_for_guardian(*, email: str, first_name: str, last_name: str) -> User:
    """The parent account that signs in with `email`: created if missing, else the existing one.

    A new account is active with no usable password: the parent creates it through
    "Nouveau mot de passe". An existing parent account is returned as is (its empty names
    are filled in), so that an import can run twice. An address that belongs to a staff
    account raises EmailTaken: a gestionnaire's login is not a family's.
    """
    email = email_normalize(email)
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            try:
                with transaction.atomic():
                    return User.objects.create_user(email, first_name=first_name, last_name=last_name)
            except IntegrityError:  # created meanwhile by a concurrent import
                user = User.objects.get(email__iexact=email)
        if user.is_staff or user.is_superuser:
            raise EmailTaken(_("Cette adresse e-mail est celle d'un compte gestionnaire de la ville."))
        changed = []
        if not user.first_name and first_name:
            user.first_name = first_name
            changed.append("first_name")
        if not user.last_name and last_name:
            user.last_name = last_name
            changed.append("last_name")
        if changed:
            user.save(update_fields=changed)
    return user


def api_token_issue(*, user: User) -> Token:
    """The API token of an authenticated account (one per account, created on first use)."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


def api_token_revoke(*, user: User) -> None:
    Token.objects.filter(user=user).delete()

