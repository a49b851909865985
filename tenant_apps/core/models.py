"""The town's own profile, kept in its schema: contact details and the portal's welcome text."""

import logging

from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# The profile every page shows (header, footer) is cached in the town's key space (the cache key
# function prefixes the schema): saving or deleting it forgets the entry, at once and again after
# the commit; a queryset .update() (not done by the app) is seen within PROFILE_CACHE_SECONDS.
PROFILE_CACHE_KEY = "core:town-profile"
PROFILE_CACHE_SECONDS = 300
_NO_PROFILE = "none"


class TownProfile(models.Model):
    """One row per town schema (a singleton), edited by the town's staff."""

    display_name = models.CharField(_("nom affiché"), max_length=200)
    address_line = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    welcome_title = models.CharField(_("titre d'accueil"), max_length=200, default="Bienvenue sur votre portail famille")
    welcome_body = models.TextField(_("texte d'accueil (HTML simple)"), blank=True)
    # Stored through the town-prefixed default storage, served by `portal:logo`.
    logo = models.FileField(_("logo"), upload_to="portal", max_length=200, blank=True)
    logo_content_type = models.CharField(max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table keeps the name it had when the model lived in the portal app.
        db_table = "portal_townprofile"
        verbose_name = _("profil de la ville")
        verbose_name_plural = _("profil de la ville")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.forget_cached()
        transaction.on_commit(self.forget_cached)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.forget_cached()
        transaction.on_commit(self.forget_cached)
        return result

    @property
    def postal_lines(self) -> list[str]:
        """The postal address as the guide shows it: "1 place de la mairie - 22300 Lannion"."""
        locality = f"{self.postcode} {self.city}".strip()
        return [part for part in (self.address_line, locality) if part]

    @classmethod
    def current(cls) -> "TownProfile | None":
        return cls.objects.order_by("pk").first()

    @classmethod
    def cached(cls) -> "TownProfile | None":
        """`current()` for display, read from the cache (no query on most pages); a cache outage is a miss."""
        try:
            value = cache.get(PROFILE_CACHE_KEY)
        except Exception:  # noqa: BLE001 - whatever the backend raises, a miss
            logger.warning("Cache unreachable: the town profile is read from the database.", exc_info=True)
            return cls.current()
        if value is not None:
            return None if value == _NO_PROFILE else value
        profile = cls.current()
        try:
            cache.set(PROFILE_CACHE_KEY, profile if profile is not None else _NO_PROFILE, PROFILE_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("Cache unreachable: the town profile is not cached.", exc_info=True)
        return profile

    @staticmethod
    def forget_cached() -> None:
        try:
            cache.delete(PROFILE_CACHE_KEY)
        except Exception:  # noqa: BLE001
            logger.error("Cache unreachable: the town profile may be stale for %s s.", PROFILE_CACHE_SECONDS,
                         exc_info=True)
