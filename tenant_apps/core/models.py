"""The town's own profile, kept in its schema: contact details and the portal's welcome text."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

    @property
    def postal_lines(self) -> list[str]:
        """The postal address as the guide shows it: "1 place de la mairie - 22300 Lannion"."""
        locality = f"{self.postcode} {self.city}".strip()
        return [part for part in (self.address_line, locality) if part]

    @classmethod
    def current(cls) -> "TownProfile | None":
        return cls.objects.order_by("pk").first()
