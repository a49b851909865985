"""Domain errors of messaging: stable codes for API clients, French messages for people."""

from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError


class ServiceUnavailable(DomainError):
    code = "service_unavailable"
    default_message = _("Ce service ne reçoit pas de messages.")


class SubjectRequired(DomainError):
    code = "subject_required"
    default_message = _("Indiquez l'objet du message.")


class EmptyMessage(DomainError):
    code = "message_empty"
    default_message = _("Le message est vide.")


class ConversationClosed(DomainError):
    code = "conversation_closed"
    default_message = _("Cette conversation est clôturée : écrivez un nouveau message.")


class EmptyAudience(DomainError):
    code = "audience_empty"
    default_message = _("Aucun foyer ne correspond à ces destinataires.")


class UnknownAudience(DomainError):
    code = "audience_unknown"
    default_message = _("Choisissez les destinataires du message.")


class NoticeEndsInPast(DomainError):
    code = "notice_ends_in_past"
    default_message = _("La date de fin d'affichage est déjà passée.")
