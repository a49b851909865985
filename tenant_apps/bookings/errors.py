"""Domain errors of bookings: stable codes API clients and pages rely on."""

from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError


class DeadlinePassed(DomainError):
    code = "deadline_passed"
    default_message = _("La date butoir est dépassée pour ce jour.")


class ServiceFull(DomainError):
    code = "service_full"
    http_status = 409
    default_message = _("Il n'y a plus de place ce jour-là.")


class NotEnrolled(DomainError):
    code = "not_enrolled"
    default_message = _("L'enfant n'est pas inscrit à cette prestation pour cette année scolaire.")


class ClosedDay(DomainError):
    code = "closed_day"
    default_message = _("La prestation n'a pas lieu ce jour-là.")


class BookingInvoiced(DomainError):
    code = "invoiced"
    http_status = 409
    default_message = _("Cette réservation a déjà été facturée : elle ne peut plus être modifiée.")


class OverrideNotAllowed(DomainError):
    code = "override_not_allowed"
    http_status = 403
    default_message = _("Seul un gestionnaire peut passer outre la date butoir.")


class InvalidBulkRequest(DomainError):
    code = "invalid_bulk_request"
    default_message = _("Demande de réservation en masse invalide.")


class EnrolmentHasBookings(DomainError):
    code = "enrolment_has_bookings"
    http_status = 409
    default_message = _("Cet enfant a des réservations déjà facturées pour cette prestation cette année scolaire : "
                        "l'inscription ne peut pas être supprimée.")


class CancellationNotConfirmed(DomainError):
    code = "confirmation_required"
    http_status = 409
    default_message = _("Cet enfant a des réservations à venir pour cette prestation : confirmez leur annulation "
                        "pour supprimer l'inscription.")
