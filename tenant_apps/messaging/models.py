"""Conversations between a household and one of the town's services (messagerie).

Read state is kept per side on each message: `read_at` is set when the other side
(the recipient) opens the conversation.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.families.models import Household

ATTACHMENT_FOLDER = "messages"


class TownService(models.Model):
    """A department of the town that parents can write to (Service enfance, Restauration…)."""

    name = models.CharField(_("nom"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    email = models.EmailField(
        _("e-mail de notification"), blank=True,
        help_text=_("Reçoit un avis à chaque nouveau message. Vide : tous les gestionnaires."),
    )
    is_sensitive = models.BooleanField(
        _("données médicales"), default=False,
        help_text=_("Les e-mails d'avis ne contiennent jamais le texte des messages, seulement un lien."),
    )
    is_active = models.BooleanField(_("ouvert aux messages"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("service de la ville")
        verbose_name_plural = _("services de la ville")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Conversation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Ouverte")
        CLOSED = "closed", _("Clôturée")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="conversations")
    service = models.ForeignKey(TownService, on_delete=models.PROTECT, related_name="conversations")
    subject = models.CharField(_("objet"), max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    is_medical = models.BooleanField(
        _("message médical"), default=False,
        help_text=_("Le contenu n'est jamais recopié dans les e-mails d'avis."),
    )
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey("GroupMessage", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="conversations")

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["service", "status", "last_message_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_sensitive(self) -> bool:
        return self.is_medical or self.service.is_sensitive


class Message(models.Model):
    class Side(models.TextChoices):
        FAMILY = "family", _("Famille")
        TOWN = "town", _("Service")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=10, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    body = models.TextField(_("message"))  # sanitised HTML (tenant_apps.core.html)
    attachment = models.FileField(upload_to=ATTACHMENT_FOLDER, max_length=200, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)  # by the other side

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "side", "read_at"])]

    def __str__(self) -> str:
        return f"{self.conversation} ({self.created_at:%Y-%m-%d %H:%M})"


class GroupMessage(models.Model):
    """Staff write to a group of households: each gets its own conversation, sent by a job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        SENDING = "sending", _("Envoi en cours")
        DONE = "done", _("Envoyé")

    service = models.ForeignKey(TownService, on_delete=models.PROTECT, related_name="group_messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"))  # sanitised HTML, as Message.body
    audience = models.CharField(_("destinataires"), max_length=300)  # description, in French
    household_ids = models.JSONField(default=list)  # chosen when sent: later changes don't move it
    recipient_count = models.PositiveIntegerField(_("foyers"), default=0)
    sent_count = models.PositiveIntegerField(_("envoyés"), default=0)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message groupé")
        verbose_name_plural = _("messages groupés")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    @property
    def percent(self) -> int:
        return 100 if not self.recipient_count else round(100 * self.sent_count / self.recipient_count)


class Notice(models.Model):
    """An urgent notice shown on the parents' home page until its last day (town time)."""

    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"), blank=True)  # sanitised HTML
    ends_on = models.DateField(_("affiché jusqu'au"), help_text=_("Dernier jour d'affichage, inclus."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("avis urgent")
        verbose_name_plural = _("avis urgents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
