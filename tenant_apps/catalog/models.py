"""Services (prestations) a town offers, the calendar they run on, their booking deadlines,
closure days and the enrolments (child × service × school year) that allow booking."""

import datetime as dt

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tenant_apps.core.clock import school_year_bounds, school_year_of  # noqa: F401 - part of this module's API

WEEKDAY_LABELS = ["Lun", "Mar", "Mer", "Jeu", "Ven", "Sam", "Dim"]


def validate_weekdays(value: list[int]) -> None:
    if any(day not in range(7) for day in value):
        raise ValidationError(_("Les jours de la semaine vont de 0 (lundi) à 6 (dimanche)."), code="invalid")


class Service(models.Model):
    """A bookable service: Repas Enfant, Accueil périscolaire matin, ALSH Mercredi…"""

    class Kind(models.TextChoices):
        CANTEEN = "restauration", _("Restauration scolaire")
        BEFORE_SCHOOL = "before_school", _("Accueil périscolaire matin")
        AFTER_SCHOOL = "after_school", _("Accueil périscolaire soir")
        WEDNESDAY = "wednesday", _("Accueil de loisirs du mercredi")
        HOLIDAY_CENTRE = "holiday_centre", _("Accueil de loisirs des vacances")
        OUTING = "outing", _("Sortie")
        OTHER = "other", _("Autre")

    class Calendar(models.TextChoices):
        SCHOOL_DAYS = "school_days", _("Jours d'école uniquement")
        SCHOOL_HOLIDAYS = "school_holidays", _("Vacances scolaires uniquement")
        EVERY_OPEN_DAY = "every_open_day", _("Tous les jours ouverts")
        GIVEN_DATES = "given_dates", _("Dates données")

    class DeadlineMode(models.TextChoices):
        SAME_DAY_TIME = "same_day_time", _("Le jour même à l'heure donnée")
        DAYS_BEFORE = "days_before", _("N jours avant à l'heure donnée")
        FIXED_DATE = "fixed_date", _("Date de clôture fixe par période")

    class DayKind(models.TextChoices):
        CALENDAR = "calendar", _("jours calendaires")
        WORKING = "working", _("jours ouvrés")

    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(), verbose_name=_("jours de la semaine"), default=list, blank=True,
        validators=[validate_weekdays], help_text=_("0 = lundi … 6 = dimanche"),
    )
    calendar = models.CharField(_("calendrier"), max_length=20, choices=Calendar.choices,
                                default=Calendar.SCHOOL_DAYS)
    capacity = models.PositiveIntegerField(_("capacité"), null=True, blank=True,
                                           help_text=_("Places par jour ; vide = illimité."))
    enrolment_required = models.BooleanField(_("inscription requise"), default=True)
    colour = models.CharField(_("couleur"), max_length=7, default="#1f6feb")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    billed_in_advance = models.BooleanField(
        _("facturation à échoir"), default=False,
        help_text=_("Les réservations à venir de la période sont facturées ; sinon une facturation ne couvre "
                    "que les jours écoulés."),
    )

    # Booking deadline rule.
    deadline_mode = models.CharField(_("règle de fin de réservation"), max_length=20,
                                     choices=DeadlineMode.choices, default=DeadlineMode.SAME_DAY_TIME)
    deadline_time = models.TimeField(_("heure limite"), default=dt.time(8, 30))
    deadline_days = models.PositiveSmallIntegerField(_("nombre de jours avant"), default=0)
    deadline_day_kind = models.CharField(_("type de jours"), max_length=10, choices=DayKind.choices,
                                         default=DayKind.CALENDAR)

    # Optional separate cancellation rule (same semantics); empty mode = same as booking.
    cancellation_mode = models.CharField(_("règle d'annulation"), max_length=20, choices=DeadlineMode.choices,
                                         blank=True, help_text=_("Vide : identique à la réservation."))
    cancellation_time = models.TimeField(_("heure limite d'annulation"), null=True, blank=True)
    cancellation_days = models.PositiveSmallIntegerField(_("jours avant (annulation)"), default=0)
    cancellation_day_kind = models.CharField(_("type de jours (annulation)"), max_length=10,
                                             choices=DayKind.choices, default=DayKind.CALENDAR)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("prestation")
        verbose_name_plural = _("prestations")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.deadline_mode == self.DeadlineMode.SAME_DAY_TIME and self.deadline_days:
            raise ValidationError({"deadline_days": _("« Le jour même » ne prend pas de nombre de jours.")})
        if self.cancellation_mode and self.cancellation_time is None:
            raise ValidationError({"cancellation_time": _("Indiquez l'heure limite d'annulation.")})

    @property
    def weekdays_label(self) -> str:
        return " ".join(WEEKDAY_LABELS[d] for d in sorted(self.weekdays))

    @property
    def deadline_label(self) -> str:
        """What parents read next to the row: "Fin de réservation: 08:30"."""
        time = self.deadline_time.strftime("%H:%M")
        if self.deadline_mode == self.DeadlineMode.FIXED_DATE:
            return gettext("date de clôture de la période")
        if self.deadline_mode == self.DeadlineMode.DAYS_BEFORE and self.deadline_days:
            kind = gettext("jours ouvrés") if self.deadline_day_kind == self.DayKind.WORKING else gettext("jours")
            return f"{time} ({self.deadline_days} {kind} avant)"
        return time


class ServiceDate(models.Model):
    """A date a `given_dates` service runs on (e.g. an outing)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("date de prestation")
        verbose_name_plural = _("dates de prestation")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["service", "date"], name="service_date_unique")]

    def __str__(self) -> str:
        return f"{self.service} – {self.date:%d/%m/%Y}"


class ServicePeriod(models.Model):
    """A period (e.g. summer holidays) whose bookings close at one fixed moment."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(_("libellé"), max_length=120, blank=True)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))
    closes_at = models.DateTimeField(_("clôture des réservations"))

    class Meta:
        verbose_name = _("période de réservation")
        verbose_name_plural = _("périodes de réservation")
        ordering = ["start"]

    def __str__(self) -> str:
        return self.label or f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("La fin de la période doit suivre son début.")})


class ClosureDay(models.Model):
    """A day the town (or one service) is closed: strike, bridge day… No service runs then."""

    date = models.DateField(_("date"))
    reason = models.CharField(_("motif"), max_length=200)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="closure_days", null=True,
                                blank=True, verbose_name=_("prestation"), help_text=_("Vide : toutes les prestations sont fermées."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jour de fermeture")
        verbose_name_plural = _("jours de fermeture")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.reason}"


class SchoolHolidayPeriod(models.Model):
    """School holidays as the town's académie publishes them (from the first to the last day
    without school, inclusive). A town that enters any replaces the national calendar of its
    zone: overseas académies, which the national data does not carry, or local changes."""

    name = models.CharField(_("nom"), max_length=120)
    start = models.DateField(_("premier jour sans école"))
    end = models.DateField(_("dernier jour sans école"))

    class Meta:
        verbose_name = _("période de vacances scolaires")
        verbose_name_plural = _("vacances scolaires de la commune")
        ordering = ["start"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")),
                                              name="school_holiday_period_ordered")]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%d/%m/%Y} – {self.end:%d/%m/%Y})"


class Enrolment(models.Model):
    """A child allowed to book a service for a school year (inscription)."""

    child = models.ForeignKey("families.Child", on_delete=models.CASCADE, related_name="enrolments",
                              verbose_name=_("enfant"))
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="enrolments",
                                verbose_name=_("prestation"))
    school_year = models.CharField(_("année scolaire"), max_length=9, help_text=_("ex. 2026-2027"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["school_year", "service__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "service", "school_year"], name="enrolment_unique",
                violation_error_message=_("Cet enfant est déjà inscrit à cette prestation pour cette année scolaire."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} – {self.service} ({self.school_year})"
