"""Background jobs of the accounts app (run in the town's schema by the worker middleware)."""

import dramatiq
from django.db import connection

from tenants.urls import town_url

from .emails import send_templated_mail
from .models import AccessLink, User


@dramatiq.actor(max_retries=3)
def send_password_link(email: str, purpose: str) -> None:
    """Issue a fresh password link for the account with this e-mail, if any, and mail it."""
    from .services import access_link_issue

    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    token = access_link_issue(user=user, purpose=purpose)
    town = connection.tenant
    context = {
        "town": town,
        "user": user,
        "link": town_url(town, "accounts:password_create", kwargs={"token": token}),
        "is_invitation": purpose == AccessLink.Purpose.INVITATION,
    }
    subject = (
        f"{town.name} – votre accès au portail famille"
        if context["is_invitation"]
        else f"{town.name} – création de votre mot de passe"
    )
    send_templated_mail(to=user.email, subject=subject, template="accounts/email/password_link", context=context)
