"""A town's jobs waiting for the broker, kept in the town's schema."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A job to send to the broker, written in the same transaction as the change it follows.

    Sent right after the commit; while the broker is down it stays pending and the next
    dispatch (every minute, or `manage.py dispatch_outbox`) sends it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("abandonné")  # its actor no longer exists

    actor_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # The broker message that ran the job. A crash between the broker taking a message and the
    # row being marked sent leaves it pending, so it is sent again: the first copy to reach a
    # worker claims the row and the others are skipped, as is a redelivery of a job that
    # completed (see `tenants.jobs`); a retry after a failure runs again.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)  # the job ran to its end

    class Meta:
        indexes = [
            models.Index(fields=["id"], condition=Q(status="pending"), name="outbox_pending_idx"),
            models.Index(fields=["sent_at"], condition=Q(status="sent"), name="outbox_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} #{self.pk} ({self.status})"
