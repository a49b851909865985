"""Domain errors of the town kernel, raised by its helpers and by the apps above it: stable codes
for API clients, French messages for people."""

from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError


# The catalogue's service periods and billing's invoicing runs refuse a period (ending before it
# starts, or too long) with this one error and code, so it lives below both.
class InvalidPeriod(DomainError):
    code = "invalid_period"
    default_message = _("La fin de la période doit suivre son début.")


class UploadRejected(DomainError):
    code = "upload_rejected"
    default_message = _("Ce fichier n'est pas accepté.")
