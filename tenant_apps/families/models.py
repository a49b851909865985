"""The family record: households, their guardians (who sign in) and their children.

Core models shared by every other town app; the family-record issue extends them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Household(models.Model):
    """The family unit that is invoiced (foyer)."""

    name = models.CharField(_("nom du foyer"), max_length=200)
    address_line = models.CharField(_("adresse"), max_length=200, blank=True)
    address_line2 = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    family_quotient = models.PositiveIntegerField(_("quotient familial"), null=True, blank=True)
    family_quotient_valid_from = models.DateField(_("QF valable du"), null=True, blank=True)
    family_quotient_valid_until = models.DateField(_("QF valable jusqu'au"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("foyer")
        verbose_name_plural = _("foyers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Guardian(models.Model):
    """A parent or legal guardian (responsable légal); signs in with their e-mail."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="guardians")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="guardian", null=True, blank=True
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    is_payer = models.BooleanField(_("payeur"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("responsable légal")
        verbose_name_plural = _("responsables légaux")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"


class Child(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    birth_date = models.DateField(_("date de naissance"))
    birth_city = models.CharField(_("ville de naissance"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enfant")
        verbose_name_plural = _("enfants")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"
