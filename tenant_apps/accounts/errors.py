"""Domain errors of accounts: stable codes for API clients, French messages for people."""

from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError


class LinkInvalid(DomainError):
    code = "link_invalid"
    default_message = _("Ce lien n'est pas valable.")


class LinkExpired(LinkInvalid):
    code = "link_expired"
    default_message = _("Ce lien a expiré : il était valable 24 heures.")


class LinkUsed(LinkInvalid):
    code = "link_used"
    default_message = _("Ce lien a déjà servi ou a été remplacé par un lien plus récent.")


class EmailTaken(DomainError):
    code = "email_taken"
    default_message = _("Un compte utilise déjà cette adresse e-mail.")


class EmailInvalid(DomainError):
    code = "email_invalid"
    default_message = _("Cette adresse e-mail n'est pas valide.")


class InvalidCredentials(DomainError):
    code = "invalid_credentials"
    http_status = 400
    default_message = _("Adresse e-mail ou mot de passe incorrect.")


class PortalNotOpen(DomainError):
    code = "portal_not_open"
    http_status = 403
    default_message = _("Le portail famille ouvre bientôt : vous pourrez vous connecter dès son ouverture par la mairie.")
