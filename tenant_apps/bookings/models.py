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
    # The parent's declared absence covering this day, and whether the day is one of its billed
    # waiting days ("jour de carence") once the absence is justified.
    absence = models.ForeignKey("bookings.Absence", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="bookings", verbose_name=_("absence déclarée"))
    waiting_day = models.BooleanField(_("jour de carence"), default=False)
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
        ABSENCE = "absence", _("Absence déclarée")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Portail")
        API = "api", _("API")
        ADMIN = "admin", _("Administration")
        BULK = "bulk", _("Réservation en masse")
        STAFF = "staff", _("Gestion")
        CLOSURE = "closure", _("Fermeture")
        REGISTER = "register", _("Registre (tablette)")

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


class Absence(models.Model):
    """A parent's declaration that a child will be away (sick…), over one or more days, with its
    justification (a medical certificate) that staff validate or refuse."""

    class Reason(models.TextChoices):
        ILLNESS = "illness", _("Enfant malade")
        FAMILY = "family", _("Raison familiale")
        OTHER = "other", _("Autre")

    class Status(models.TextChoices):
        DECLARED = "declared", _("Déclarée, justificatif à examiner")
        JUSTIFIED = "justified", _("Justifiée")
        REFUSED = "refused", _("Justificatif refusé")

    child = models.ForeignKey("families.Child", on_delete=models.PROTECT, related_name="absences",
                              verbose_name=_("enfant"))
    start = models.DateField(_("du"))
    end = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=10, choices=Reason.choices, default=Reason.ILLNESS)
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)
    certificate = models.FileField(_("certificat médical"), max_length=255, blank=True)
    certificate_name = models.CharField(max_length=120, blank=True)
    certificate_due = models.DateField(_("justificatif attendu avant le"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DECLARED)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("déclarée par"))
    declared_at = models.DateTimeField(_("déclarée le"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("décision par"))
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    decision_note = models.CharField(_("motif de la décision"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return f"{self.child} – {self.start:%d/%m/%Y} → {self.end:%d/%m/%Y} ({self.get_status_display()})"


class AbsenceSettings(models.Model):
    """The town's absence rule (one row): how many days parents have to send the certificate."""

    certificate_days = models.PositiveSmallIntegerField(
        _("délai pour déposer le certificat médical (jours)"), default=2)

    class Meta:
        verbose_name = _("règle des absences")
        verbose_name_plural = _("règles des absences")

    def __str__(self) -> str:
        return str(_("Règle des absences"))

    @classmethod
    def current(cls) -> "AbsenceSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls()


class ServiceAbsenceRule(models.Model):
    """A service's absence rule: a justified absence is not billed, except its first `waiting_days`
    booked days ("jours de carence"). No row: no waiting day."""

    service = models.OneToOneField("services.Service", on_delete=models.CASCADE, related_name="absence_rule",
                                   verbose_name=_("prestation"))
    waiting_days = models.PositiveSmallIntegerField(_("jours de carence facturés"), default=0)

    class Meta:
        verbose_name = _("règle d'absence d'une prestation")
        verbose_name_plural = _("règles d'absence des prestations")

    def __str__(self) -> str:
        return f"{self.service} – {self.waiting_days}"
