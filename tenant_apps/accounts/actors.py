"""Who performs an operation, as services take it: a signed-in user, an anonymous visitor
(`request.user` before login), or nobody (a job, a script, the demo loader)."""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from .models import User

Actor: TypeAlias = User | AnonymousUser | None


def signed_in(actor: Actor) -> User | None:
    """The account behind `actor`, or None for an anonymous visitor or no one."""
    return actor if isinstance(actor, User) else None
