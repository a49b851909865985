"""Accounts. In a town's schema: parents (guardians) and staff; in the public schema: operators.

The e-mail address is the login. A parent who uses two towns has two accounts.
"""

import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse e-mail"), max_length=254)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("gestionnaire"), default=False, help_text=_("Accès à l'espace de gestion de la ville.")
    )
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("créé le"), default=timezone.now)
    password_changed_at = models.DateTimeField(_("mot de passe modifié le"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} <{self.email}>" if full else self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class AccessLink(models.Model):
    """A one-time link to create a password: an invitation or a "nouveau mot de passe" request.

    Only the SHA-256 of the token is stored. A link is valid 24 hours, used once, and voided
    by a newer link for the same account or by a password change.
    """

    class Purpose(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        RESET = "reset", _("Nouveau mot de passe")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_links")
    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lien de création de mot de passe")
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} – {self.user.email} – {self.created_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class EmailChangeRequest(models.Model):
    """A request to change the e-mail an account signs in with, and once confirmed its record.

    The login changes only when the new address opens the single-use link e-mailed to it
    (24 hours); a newer request voids this one. Only the SHA-256 of the token is stored, and
    only once the e-mail has been sent (the job issues the token). Who asked (the owner or a
    gestionnaire) is kept: the rows are the audit trail of login changes.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_changes")
    old_email = models.EmailField(_("ancienne adresse"), max_length=254)
    new_email = models.EmailField(_("nouvelle adresse"), max_length=254)
    requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("demandé par")
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("valable jusqu'au"))
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    voided_at = models.DateTimeField(_("annulé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("changement d'adresse de connexion")
        verbose_name_plural = _("changements d'adresse de connexion")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.old_email} → {self.new_email} – {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.confirmed_at is None and self.voided_at is None and timezone.now() < self.expires_at
