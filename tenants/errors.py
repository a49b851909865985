"""Base class of the domain errors raised by service functions."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule refused the operation. `code` is stable (API clients rely on it)."""

    code = "invalid"
    http_status = 400
    default_message = _("Opération impossible.")

    def __init__(self, message=None, *, code=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        super().__init__(self.message)
