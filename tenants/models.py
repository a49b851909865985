"""The towns registry (public schema): one row per town, one PostgreSQL schema each."""

import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from .validators import validate_insee_code, validate_town_slug


@functools.cache
def _time_zones() -> frozenset[str]:
    # available_timezones() walks the tz database on disk (over 0.1 s); it does not change while we run.
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(_("Fuseau horaire inconnu."), code="invalid")


class Town(TenantMixin):
    class Zone(models.TextChoices):
        A = "A", "Zone A"
        B = "B", "Zone B"
        C = "C", "Zone C"

    class Status(models.TextChoices):
        ACTIVE = "active", _("Actif")
        ARCHIVED = "archived", _("Archivé")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.CharField(_("identifiant d'URL"), max_length=63, unique=True, validators=[validate_town_slug])
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True, validators=[validate_insee_code])
    school_zone = models.CharField(_("zone scolaire"), max_length=1, choices=Zone.choices, default=Zone.B)
    time_zone = models.CharField(
        _("fuseau horaire"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    status = models.CharField(_("statut"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    archived_at = models.DateTimeField(_("archivée le"), null=True, blank=True)
    # A new town is "en préparation" (NULL): hidden from the landing page, its parents cannot sign
    # in yet, its staff set it up; "Ouvrir le portail" stamps who opened it and when.
    opened_at = models.DateTimeField(_("portail ouvert le"), null=True, blank=True)
    opened_by = models.CharField(_("portail ouvert par"), max_length=254, blank=True)

    # Schemas are created by provisioning (a spare schema claimed, or migration), never as a save() side effect.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("ville")
        verbose_name_plural = _("villes")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (/{self.slug}/)"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_open(self) -> bool:
        """The parents' portal is open (not "en préparation")."""
        return self.opened_at is not None

    @property
    def url_path(self) -> str:
        return f"/{self.slug}/"

    @property
    def zoneinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Domain(DomainMixin):
    """Custom host names of a town (django-tenants requires the model; routing is by path)."""

    class Meta:
        verbose_name = _("domaine")


class TownSlugRedirect(models.Model):
    """A slug a town used to answer at: requests to it are permanently redirected."""

    old_slug = models.CharField(max_length=63, unique=True)
    town = models.ForeignKey(Town, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ancienne adresse")
        verbose_name_plural = _("anciennes adresses")

    def __str__(self) -> str:
        return f"/{self.old_slug}/ → /{self.town.slug}/"
