"""Domain errors of the accounting exports: stable codes for API clients, French messages for people."""

from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError


class AccountingSettingsIncomplete(DomainError):
    code = "accounting_settings_incomplete"
    http_status = 409
    default_message = _("Les paramètres comptables sont incomplets.")


class NothingToExport(DomainError):
    code = "nothing_to_export"
    http_status = 409
    default_message = _("Aucune facture à exporter pour cette sélection.")


class PesFileInvalid(DomainError):
    """The built file does not validate against the DGFiP schema: it is never offered."""

    code = "pes_file_invalid"
    http_status = 422
    default_message = _("Le fichier PES ne respecte pas le schéma de la DGFiP.")


class DebtorDataIncomplete(DomainError):
    code = "debtor_data_incomplete"
    http_status = 409
    default_message = _("Des payeurs n'ont pas d'adresse complète.")
