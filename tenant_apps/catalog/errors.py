"""Domain errors of the catalogue (services, their periods, enrolments): stable codes for API
clients, French messages for people."""

from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError


class AlreadyEnrolled(DomainError):
    code = "already_enrolled"
    default_message = _("Cet enfant est déjà inscrit à cette prestation pour cette année scolaire.")


class InvalidSchoolYear(DomainError):
    code = "invalid_school_year"
    default_message = _("Année scolaire invalide (ex. 2026-2027).")


class StaffOnly(DomainError):
    code = "staff_only"
    http_status = 403
    default_message = _("Seul un gestionnaire de la ville peut modifier les inscriptions.")


class InvalidEnrolmentRequest(DomainError):
    code = "invalid_enrolment_request"
    default_message = _("Choisissez au moins un enfant et une prestation.")


class InvalidRenewal(DomainError):
    code = "invalid_renewal"
    default_message = _("L'année scolaire de destination doit suivre l'année d'origine.")


class InvalidSchoolHolidays(DomainError):
    code = "invalid_school_holidays"
    default_message = _("Période de vacances scolaires invalide.")
