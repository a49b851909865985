"""Domain errors of billing: stable codes for API clients, French messages for people."""

from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError


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


class InvalidAllocation(DomainError):
    code = "invalid_allocation"
    default_message = _("Ce paiement ne peut pas être imputé ainsi.")


class PaymentAlreadyReversed(DomainError):
    code = "payment_already_reversed"
    http_status = 409
    default_message = _("Ce paiement est déjà annulé.")


class ReminderNotNeeded(DomainError):
    code = "reminder_not_needed"
    http_status = 409
    default_message = _("Cette facture n'a plus rien à payer : pas de relance.")


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


# --- Tariffs and billing rules ---------------------------------------------------------------


class TariffRuleError(DomainError):
    """A tariff or billing-rule input refused. `field` (and `index`, for a QF bracket row) say
    where a form should show the message; both may be None (a message about the whole form)."""

    field: str | None = None

    def __init__(self, message=None, *, code=None, field: str | None = None, index: int | None = None):
        super().__init__(message, code=code)
        self.field = field or self.field
        self.index = index


class InvalidAmount(TariffRuleError):
    code = "invalid_amount"
    default_message = _("Le montant doit être un nombre positif ou nul, avec au plus deux décimales.")


class TariffPriceMissing(TariffRuleError):
    code = "tariff_price_missing"
    field = "unit_price"
    default_message = _("Indiquez un prix unique ou des tranches de quotient familial.")


class TariffFlatAndBrackets(TariffRuleError):
    code = "tariff_flat_and_brackets"
    field = "unit_price"
    default_message = _(
        "Un tarif a soit un prix unique, soit des tranches de quotient familial, jamais les deux : "
        "videz le prix unique ou les tranches."
    )


class InvalidBrackets(TariffRuleError):
    code = "invalid_brackets"
    field = "brackets"
    default_message = _("Les tranches de quotient familial sont incohérentes.")


class InvalidValidity(TariffRuleError):
    code = "invalid_validity"
    field = "valid_until"
    default_message = _("La fin de validité doit être le même jour ou après le début.")


class TariffOverlap(TariffRuleError):
    code = "tariff_overlap"
    http_status = 409
    field = "valid_from"
    default_message = _("Un autre tarif de cette prestation est déjà valable sur ces dates.")


class TariffInUse(TariffRuleError):
    code = "tariff_in_use"
    http_status = 409
    default_message = _(
        "Ce tarif a déjà servi à une facture émise : ses prix et sa date de début ne peuvent plus changer. "
        "Clôturez-le, puis créez un nouveau tarif pour le nouveau prix."
    )


class TariffCloseTooEarly(TariffRuleError):
    code = "tariff_close_before_invoiced"
    http_status = 409
    field = "valid_until"
    default_message = _("Ce tarif ne peut pas finir avant le dernier jour déjà facturé avec lui.")


class InvalidBillingSettings(TariffRuleError):
    code = "invalid_billing_settings"
    default_message = _("Règles de facturation invalides.")


class TariffInvoicingInProgress(TariffRuleError):
    code = "tariff_invoicing_in_progress"
    http_status = 409
    default_message = _(
        "Une facturation est en cours sur les dates de ce tarif : attendez qu'elle se termine pour le modifier "
        "ou le clôturer."
    )


# --- Invoicing runs --------------------------------------------------------------------------


class PeriodNotOver(DomainError):
    code = "invoice_period_not_over"
    default_message = _(
        "Cette période n'est pas encore commencée : une facturation ne couvre que les jours écoulés, "
        "sauf pour les prestations facturées à échoir (il n'y en a aucune)."
    )


class RunNotStalled(DomainError):
    code = "invoice_run_not_stalled"
    http_status = 409
    default_message = _(
        "Cette facturation n'est pas bloquée : son traitement a donné signe de vie il y a moins d'une minute, "
        "ou elle est terminée."
    )
