"""Domain errors of direct debit: stable codes for API clients, French messages for people."""

from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError


class InvalidBankDetails(DomainError):
    code = "invalid_bank_details"
    default_message = _("Ces coordonnées bancaires ne sont pas valides.")


class DirectDebitUnavailable(DomainError):
    code = "direct_debit_unavailable"
    http_status = 409
    default_message = _("Votre structure ne propose pas encore le prélèvement automatique.")


class MandateAlreadyLive(DomainError):
    code = "mandate_already_live"
    http_status = 409
    default_message = _("Une demande de prélèvement est déjà en cours ou active pour ce foyer.")


class MandateStateRefused(DomainError):
    code = "mandate_state"
    http_status = 409
    default_message = _("Ce mandat ne peut pas être modifié dans son état actuel.")


class MandateIncomplete(DomainError):
    code = "mandate_incomplete"
    default_message = _("Le mandat est incomplet.")


class NothingToDebit(DomainError):
    code = "nothing_to_debit"
    http_status = 409
    default_message = _("Aucune facture à prélever pour cette facturation.")


class SepaFileInvalid(DomainError):
    code = "sepa_file_invalid"
    http_status = 422
    default_message = _("Le fichier de prélèvement ne serait pas valide.")


class DebitNotRejectable(DomainError):
    code = "debit_not_rejectable"
    http_status = 409
    default_message = _("Ce prélèvement ne peut pas être déclaré rejeté.")
