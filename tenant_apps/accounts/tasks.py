"""Background jobs of the accounts app (run in the town's schema by the worker middleware)."""

import logging
from datetime import timedelta

import dramatiq
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.core.french import de
from tenants.current import require_town
from tenants.urls import town_url

# The e-mails of a login change live beside their flow; imported here, the worker (which
# discovers the `tasks` modules) registers them.
from .email_change import send_email_change_link, send_email_changed_notice  # noqa: F401
from .emails import send_templated_mail
from .models import AccessLink, User

logger = logging.getLogger(__name__)

# At most this many links per account and per hour: "Nouveau mot de passe" cannot be used
# to flood someone's mailbox. The page answers the same either way.
MAX_LINKS_PER_HOUR = 5


@dramatiq.actor(max_retries=3)
def send_password_link(email: str, purpose: str) -> None:
    """Issue a fresh password link for the account with this e-mail, if any, and mail it."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    recent = AccessLink.objects.filter(user=user, created_at__gte=timezone.now() - timedelta(hours=1)).count()
    if recent >= MAX_LINKS_PER_HOUR:
        logger.warning("Password link not sent to account %s: %s links in the last hour.", user.pk, recent)
        return
    password_link_mail(user=user, purpose=purpose)


def password_link_mail(*, user: User, purpose: str) -> None:
    """Issue a fresh link for `user` (voiding the older ones) and e-mail it now (the caller is a job)."""
    from .services import access_link_issue

    token = access_link_issue(user=user, purpose=purpose)
    town = require_town()
    context = {
        "town": town,
        "user": user,
        "link": town_url(town, "accounts:password_create", kwargs={"token": token}),
        "is_invitation": purpose == AccessLink.Purpose.INVITATION,
    }
    if context["is_invitation"]:
        subject = _("Invitation au portail famille %(town_of)s") % {"town_of": de(town.name)}
        template = "accounts/email/invitation"
    else:
        subject = _("%(town)s – création de votre mot de passe") % {"town": town.name}
        template = "accounts/email/password_link"
    send_templated_mail(to=user.email, subject=subject, template=template, context=context)
