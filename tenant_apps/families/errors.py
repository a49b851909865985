"""Domain errors of the family record: stable codes for API clients, French messages for people."""

from tenants.errors import DomainError


class FieldReadOnly(DomainError):
    code = "field_read_only"
    http_status = 403
    default_message = "Cette information ne peut être modifiée que par les services de la mairie."


class InvalidValue(DomainError):
    code = "invalid_value"
    default_message = "Les informations saisies ne sont pas valables."

    def __init__(self, message=None, *, errors: dict[str, list[str]] | None = None):
        self.errors = errors or {}
        if message is None and self.errors:
            message = " ".join(m for messages in self.errors.values() for m in messages)
        super().__init__(message)


class EmailAlreadyUsed(DomainError):
    code = "email_taken"
    default_message = "Cette adresse e-mail est déjà utilisée par un autre compte de la commune."


class RecordNotFound(DomainError):
    code = "not_found"
    http_status = 404
    default_message = "Élément introuvable."


class UnknownField(DomainError):
    code = "unknown_field"
    default_message = "Ce champ n'existe pas."


class InvitationRefused(DomainError):
    code = "invitation_refused"
    default_message = "Ce responsable ne peut pas être invité."
