"""A town's portal opens once: "en préparation" until its admin presses "Ouvrir le portail"."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .models import Town
from .routing import forget_schema, forget_slugs


class TownAlreadyOpen(DomainError):
    code = "town_already_open"
    default_message = _("Le portail est déjà ouvert aux familles.")
    http_status = 409


def town_open(*, town: Town, by: str) -> Town:
    """Open the parents' portal of `town` (the landing page lists it, parents may sign in);
    `by` (who pressed the button, an e-mail) and the time are recorded."""
    with transaction.atomic():
        locked = Town.objects.select_for_update().get(pk=town.pk)
        if locked.opened_at is not None:
            raise TownAlreadyOpen()
        locked.opened_at = timezone.now()
        locked.opened_by = by[:254]
        locked.save(update_fields=["opened_at", "opened_by", "updated_at"])
    # The routing caches hold whole Town rows: drop them so that every request sees the opening.
    forget_slugs(locked.slug)
    forget_schema(locked.schema_name)
    town.opened_at, town.opened_by = locked.opened_at, locked.opened_by
    return town
