"""Domain errors of billing: stable codes for API clients, French messages for people."""

from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError


class InvalidPeriod(DomainError):
    code = "invalid_period"
    default_message = _("La période de facturation est invalide.")


class RunAlreadyActive(DomainError):
    code = "invoice_run_active"
    http_status = 409
    default_message = _("Une facturation est déjà en cours pour cette période.")


class NoTariff(DomainError):
    code = "no_tariff"
    default_message = _("Aucun tarif n'est défini pour cette prestation à cette date.")


class InvoiceNotCancellable(DomainError):
    code = "invoice_not_cancellable"
    http_status = 409
    default_message = _("Cette facture ne peut pas être annulée.")


class OnlinePaymentUnavailable(DomainError):
    code = "online_payment_unavailable"
    http_status = 409
    default_message = _("Le paiement en ligne n'est pas proposé par votre structure.")


class NothingToPay(DomainError):
    code = "nothing_to_pay"
    http_status = 409
    default_message = _("Cette facture est déjà réglée.")


class PaymentTooSoon(DomainError):
    code = "payment_too_soon"
    http_status = 409
    default_message = _(
        "Un paiement de cette facture est déjà en cours. Pour éviter un double paiement, "
        "attendez 20 minutes avant de recommencer."
    )


class PaymentProviderFailed(DomainError):
    code = "payment_provider_error"
    http_status = 502
    default_message = _("Le service de paiement ne répond pas. Réessayez dans quelques minutes.")


class NotificationRefused(DomainError):
    code = "payment_notification_refused"
    default_message = _("Notification de paiement refusée.")
