"""Domain errors of bookings: stable codes API clients and pages rely on."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError


class BookingRefusal(DomainError):
    """A booking rule refused a day (see `rules.py`).

    `code` is what the API and the bulk plan report, `message` the sentence a page shows after a
    refused write, `label` the few words a grid cell or a bulk summary shows next to the day.
    """

    label: str | Promise = _("refusé")


class DeadlinePassed(BookingRefusal):
    code = "deadline_passed"
    default_message = _("La date butoir est dépassée pour ce jour.")
    label = _("date butoir dépassée")


class ServiceFull(BookingRefusal):
    code = "service_full"
    http_status = 409
    default_message = _("Il n'y a plus de place ce jour-là.")
    label = _("complet")


class NotEnrolled(BookingRefusal):
    code = "not_enrolled"
    default_message = _("L'enfant n'est pas inscrit à cette prestation pour cette année scolaire.")
    label = _("non inscrit pour cette année scolaire")


class ClosedDay(BookingRefusal):
    """The service does not run that day; the calendar's reason ("Jour férié : Noël"), when there is
    one, is both the message and the label of the refusal."""

    code = "closed_day"
    default_message = _("La prestation n'a pas lieu ce jour-là.")
    label = _("fermé ou pas de prestation")

    def __init__(self, message=None, *, code=None):
        super().__init__(message, code=code)
        if message:
            self.label = message


class BookingInvoiced(BookingRefusal):
    code = "invoiced"
    http_status = 409
    default_message = _("Cette réservation a déjà été facturée : elle ne peut plus être modifiée.")
    label = _("déjà facturé")


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


class ClosureOverInvoiced(DomainError):
    """A closure would cancel bookings already invoiced: staff issue a credit note first."""

    code = "closure_over_invoiced"
    http_status = 409
    default_message = _("Des réservations de ces jours sont déjà facturées : émettez d'abord un avoir.")


class InvalidClosure(DomainError):
    code = "invalid_closure"
    default_message = _("Fermeture invalide.")


class InvalidAbsence(DomainError):
    code = "invalid_absence"
    default_message = _("Déclaration d'absence invalide.")
