"""Changing the e-mail address an account signs in with.

Only the account's owner, or a gestionnaire, may ask. The login changes only when the new
address confirms through a single-use link (24 hours), and the old address is then told.
Apps that keep a copy of the address (a guardian's record) follow the change through
`follow_login_email`, inside the confirmation's transaction.

The e-mails are sent by the worker (the actors below, registered through `tasks.py`); the
job issues the token, so it never travels through the broker.
"""

import secrets
from collections.abc import Callable
from datetime import timedelta

import dramatiq
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenant_apps.core.clock import town_zone
from tenants.current import require_town
from tenants.errors import DomainError
from tenants.outbox.services import send_on_commit
from tenants.urls import town_url

from .emails import send_templated_mail
from .errors import EmailTaken, LinkExpired, LinkInvalid, LinkUsed
from .models import AccessLink, EmailChangeRequest, User
from .services import email_normalize

CONFIRMATION_VALIDITY = timedelta(hours=24)
# At most this many requests per account and per hour: the confirmation e-mail cannot be
# used to flood someone's mailbox.
MAX_REQUESTS_PER_HOUR = 5


class EmailChangeForbidden(DomainError):
    code = "email_change_forbidden"
    http_status = 403
    default_message = gettext_lazy(
        "Seul le titulaire du compte, ou un gestionnaire de la mairie, peut changer son adresse e-mail de connexion."
    )


class EmailUnchanged(DomainError):
    code = "email_unchanged"
    default_message = gettext_lazy("C'est déjà l'adresse e-mail de connexion de ce compte.")


class EmailChangeTooFrequent(DomainError):
    code = "email_change_too_frequent"
    http_status = 429
    default_message = gettext_lazy(
        "Trop de demandes de changement d'adresse e-mail pour ce compte : réessayez dans une heure."
    )


Follower = Callable[[EmailChangeRequest], None]
_followers: list[Follower] = []


def follow_login_email(follower: Follower) -> None:
    """Call `follower(change)` when a change is confirmed, in its transaction, once the
    account has its new e-mail; it may raise a DomainError to refuse the change."""
    if follower not in _followers:
        _followers.append(follower)


def email_change_validate(*, user: User, new_email: str) -> str:
    """The normalised new address, or EmailInvalid, EmailUnchanged or EmailTaken."""
    new_email = email_normalize(new_email)
    if new_email == user.email.lower():
        raise EmailUnchanged()
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise EmailTaken()
    return new_email


def email_change_request(*, user: User, new_email: str, requested_by: User | None) -> EmailChangeRequest:
    """Ask for `user`'s login to become `new_email`; e-mail the confirmation link to that address.

    Raises EmailChangeForbidden unless `requested_by` is the account itself or an active
    gestionnaire, EmailChangeTooFrequent past MAX_REQUESTS_PER_HOUR, and what
    `email_change_validate` raises. A pending older request is voided.
    """
    if requested_by is None or (requested_by.pk != user.pk and not (requested_by.is_active and requested_by.is_staff)):
        raise EmailChangeForbidden()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        new_email = email_change_validate(user=user, new_email=new_email)
        now = timezone.now()
        if user.email_changes.filter(created_at__gte=now - timedelta(hours=1)).count() >= MAX_REQUESTS_PER_HOUR:
            raise EmailChangeTooFrequent()
        _void_pending(user, now)
        change = EmailChangeRequest.objects.create(
            user=user, old_email=user.email, new_email=new_email, requested_by=requested_by,
            created_at=now, expires_at=now + CONFIRMATION_VALIDITY,
        )
        send_on_commit(send_email_change_link, change.pk)
    return change


def email_change_pending(*, user: User) -> EmailChangeRequest | None:
    """The change waiting for the new address to confirm, if any."""
    return user.email_changes.filter(
        confirmed_at__isnull=True, voided_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def email_change_get(*, token: str, for_update: bool = False) -> EmailChangeRequest:
    """The pending change of `token`, or a LinkInvalid subclass that says why not."""
    queryset = EmailChangeRequest.objects.select_related("user")
    if for_update:
        queryset = queryset.select_for_update()
    change = queryset.filter(token_hash=AccessLink.hash_token(token)).first() if token else None
    if change is None or not change.user.is_active:
        raise LinkInvalid()
    if change.confirmed_at or change.voided_at:
        raise LinkUsed()
    if timezone.now() >= change.expires_at:
        raise LinkExpired()
    return change


def email_change_confirm(*, token: str) -> EmailChangeRequest:
    """The new address confirms: the account signs in with it from now on, the followers
    update their copies, the old address is told. The link is used up."""
    with transaction.atomic():
        change = email_change_get(token=token, for_update=True)
        user = User.objects.select_for_update().get(pk=change.user_id)
        now = timezone.now()
        if user.email.lower() != change.old_email.lower():
            raise LinkUsed()  # the login changed in the meantime
        if User.objects.filter(email__iexact=change.new_email).exclude(pk=user.pk).exists():
            raise EmailTaken()
        user.email = change.new_email
        try:
            with transaction.atomic():
                user.save(update_fields=["email"])
        except IntegrityError:  # taken meanwhile by a concurrent change
            raise EmailTaken() from None
        change.user = user
        change.confirmed_at = now
        change.save(update_fields=["confirmed_at"])
        _void_pending(user, now)
        # Password links e-mailed before the change no longer open this account.
        AccessLink.objects.filter(user=user, used_at__isnull=True, voided_at__isnull=True).update(voided_at=now)
        for follower in _followers:
            follower(change)
        send_on_commit(send_email_changed_notice, change.pk)
    return change


def _void_pending(user: User, now) -> None:
    EmailChangeRequest.objects.filter(user=user, confirmed_at__isnull=True, voided_at__isnull=True).update(
        voided_at=now
    )


def masked(email: str) -> str:
    """"ma•••@exemple.fr": enough for its owner to recognise it, little for anyone else."""
    local, _at, domain = email.partition("@")
    return f"{local[:2]}•••@{domain}"


# --- E-mails (run by the worker, in the town of the request) ----------------------------------


@dramatiq.actor(max_retries=3)
def send_email_change_link(change_id: int) -> None:
    """Issue the confirmation token of a pending change and e-mail it to the new address."""
    change = EmailChangeRequest.objects.select_related("user", "requested_by").filter(pk=change_id).first()
    if change is None or not change.is_pending:
        return
    token = secrets.token_urlsafe(32)
    change.token_hash = AccessLink.hash_token(token)
    change.save(update_fields=["token_hash"])
    town = require_town()
    context = {
        "town": town,
        "user": change.user,
        "change": change,
        "by_staff": _by_staff(change),
        "link": town_url(town, "accounts:email_change_confirm", kwargs={"token": token}),
    }
    subject = _("%(town)s – confirmez votre nouvelle adresse e-mail") % {"town": town.name}
    send_templated_mail(to=change.new_email, subject=subject, template="accounts/email/email_change_link",
                        context=context)


@dramatiq.actor(max_retries=3)
def send_email_changed_notice(change_id: int) -> None:
    """Tell the old address that the account now signs in with another one."""
    change = EmailChangeRequest.objects.select_related("user", "requested_by").filter(pk=change_id).first()
    if change is None or change.confirmed_at is None:
        return
    town = require_town()
    context = {
        "town": town,
        "user": change.user,
        "change": change,
        "by_staff": _by_staff(change),
        "new_email_masked": masked(change.new_email),
        "confirmed_at": timezone.localtime(change.confirmed_at, town_zone()),
    }
    subject = _("%(town)s – l'adresse e-mail de votre compte a changé") % {"town": town.name}
    send_templated_mail(to=change.old_email, subject=subject, template="accounts/email/email_changed_notice",
                        context=context)


def _by_staff(change: EmailChangeRequest) -> bool:
    return change.requested_by is not None and change.requested_by.pk != change.user_id
