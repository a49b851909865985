"""Domain errors of documents: stable codes for API clients, French messages for people."""

from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError


class DocumentDatesInvalid(DomainError):
    code = "document_dates_invalid"
    default_message = _("La date de fin doit être postérieure ou égale à la date de publication.")


class AudienceServicesRequired(DomainError):
    code = "document_audience_services_required"
    default_message = _("Choisissez au moins une prestation pour les familles inscrites.")
