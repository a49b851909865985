"""Text people type: how long it may be (the limits the README lists, enforced by the services),
and one-line values (subjects, names) that end up in e-mail headers."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tenants.errors import DomainError

MESSAGE_BODY_MAX_CHARS = 10_000
MESSAGE_SUBJECT_MAX_CHARS = 200
WELCOME_TEXT_MAX_CHARS = 20_000


class TextTooLong(DomainError):
    code = "text_too_long"
    default_message = _("Ce texte est trop long.")

    def __init__(self, *, field: str, max_chars: int, code: str | None = None):
        message = ngettext("Ce texte dépasse %(max)s caractère.", "Ce texte dépasse %(max)s caractères.",
                           max_chars) % {"max": f"{max_chars:,}".replace(",", "\u202f")}
        self.field = field
        self.errors = {field: [message]}
        super().__init__(message, code=code)


def check_length(value: str, *, max_chars: int, field: str, code: str | None = None) -> str:
    """`value`, or TextTooLong (naming `field`) when it has more than `max_chars` characters."""
    if len(value) > max_chars:
        raise TextTooLong(field=field, max_chars=max_chars, code=code)
    return value


def one_line(value: str) -> str:
    """`value` on one line: line breaks, tabs and runs of spaces become one space, ends trimmed.

    A line break in a mail subject makes Django refuse to send it (BadHeaderError)."""
    return " ".join((value or "").split())
