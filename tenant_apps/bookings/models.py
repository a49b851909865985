"""Bookings (réservations): one child × service × date, its attendance (pointage), and the
audit trail of every change."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Réservé")
        CANCELLED = "cancelled", _("Annulé")

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("Non pointé")
        PRESENT = "present", _("Présent")
        ABSENT = "absent", _("Absent")
        JUSTIFIED_ABSENCE = "justified_absence", _("Absence justifiée")

    child = models.ForeignKey("families.Child", on_delete=models.PROTECT, related_name="bookings",
                              verbose_name=_("enfant"))
    service = models.ForeignKey("services.Service", on_delete=models.PROTECT, related_name="bookings",
                                verbose_name=_("prestation"))
    date = models.DateField(_("date"))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    attendance = models.CharField(_("pointage"), max_length=20, choices=Attendance.choices,
                                  default=Attendance.UNKNOWN)
    # Set by billing when an invoice line links this booking: from then on it is locked.
    invoiced = models.BooleanField(_("facturée"), default=False)
    # A child who turned up without a booking, added by staff at attendance time.
    unbooked_attendance = models.BooleanField(_("présence non réservée"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["date", "service__position"]
        constraints = [
            models.UniqueConstraint(fields=["child", "service", "date"], name="booking_child_service_date_unique"),
        ]
        indexes = [models.Index(fields=["service", "date", "status"], name="booking_service_day_idx")]

    def __str__(self) -> str:
        return f"{self.child} – {self.service} – {self.date:%d/%m/%Y} ({self.get_status_display()})"

    @property
    def is_booked(self) -> bool:
        return self.status == self.Status.BOOKED


class BookingChange(models.Model):
    """Who changed a booking, when, from where, and whether a deadline was overridden."""

    class Action(models.TextChoices):
        BOOKED = "booked", _("Réservation")
        CANCELLED = "cancelled", _("Annulation")
        ATTENDANCE = "attendance", _("Pointage")
        WALK_IN = "walk_in", _("Présence non réservée")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Portail")
        API = "api", _("API")
        ADMIN = "admin", _("Administration")
        BULK = "bulk", _("Réservation en masse")
        STAFF = "staff", _("Gestion")
        CLOSURE = "closure", _("Fermeture")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="changes",
                                verbose_name=_("réservation"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("auteur"))
    source = models.CharField(_("origine"), max_length=10, choices=Source.choices)
    override = models.BooleanField(_("hors délai (dérogation)"), default=False)
    detail = models.CharField(_("détail"), max_length=200, blank=True)
    at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("historique de réservation")
        verbose_name_plural = _("historique des réservations")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.booking} – {self.get_action_display()} ({self.get_source_display()})"
