"""Base class of the domain errors raised by service functions."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # django-stubs-ext is a development package: for the type checker only
    from django_stubs_ext import StrOrPromise

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule refused the operation. `code` is stable (API clients rely on it).

    Messages are French and usually lazy (`gettext_lazy`), translated when shown.
    """

    code: str = "invalid"
    http_status: ClassVar[int] = 400
    default_message: ClassVar[StrOrPromise] = _("Opération impossible.")

    def __init__(self, message: StrOrPromise | None = None, *, code: str | None = None) -> None:
        self.message: StrOrPromise = message or self.default_message
        if code:
            self.code = code
        super().__init__(self.message)
