"""Domain errors of the payment-provider configuration."""

from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError


class UnknownBackend(DomainError):
    code = "unknown_payment_backend"
    default_message = _("Prestataire de paiement inconnu.")


class UnknownParameter(DomainError):
    code = "unknown_payment_parameter"
    default_message = _("Paramètre inconnu pour ce prestataire de paiement.")


class InvalidParameter(DomainError):
    code = "invalid_payment_parameter"
    default_message = _("Valeur de paramètre invalide.")
