"""Account writes: one-time password links, password creation, staff invitations."""

import secrets
from datetime import timedelta

from django.contrib.auth import password_validation
from django.db import transaction
from django.utils import timezone

from tenants.errors import DomainError
from tenants.jobs import send_on_commit

from .models import AccessLink, User

LINK_VALIDITY = timedelta(hours=24)


class LinkInvalid(DomainError):
    code = "link_invalid"
    default_message = "Ce lien n'est pas valable."


class LinkExpired(LinkInvalid):
    code = "link_expired"
    default_message = "Ce lien a expiré : il était valable 24 heures."


class LinkUsed(LinkInvalid):
    code = "link_used"
    default_message = "Ce lien a déjà servi ou a été remplacé par un lien plus récent."


class EmailTaken(DomainError):
    code = "email_taken"
    default_message = "Un compte utilise déjà cette adresse e-mail."


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
            expires_at=now + LINK_VALIDITY,
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
    return user


def password_reset_request(*, email: str) -> None:
    """Queue the "nouveau mot de passe" e-mail. Same work whether or not the address is known."""
    from .tasks import send_password_link

    send_on_commit(send_password_link, email.strip().lower(), AccessLink.Purpose.RESET)


def staff_invite(*, email: str, first_name: str = "", last_name: str = "") -> User:
    """Create a staff (gestionnaire) account and e-mail it an invitation link."""
    from .tasks import send_password_link

    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTaken()
    user = User.objects.create_user(email, first_name=first_name, last_name=last_name, is_staff=True)
    send_on_commit(send_password_link, email, AccessLink.Purpose.INVITATION)
    return user
