"""A service's refusal (a DomainError) shown to the person who asked: as a message, or as a form error.

A view calls the service inside one of these blocks. The lines after the call, in the block,
run only when the service accepted — the success message and the redirect sit right there —
and a refusal leaves the block, shown, to the lines after it:

    with refusal_as_message(request):
        services.service_period_add(service=service, **form.cleaned_data)
        messages.success(request, _("Période enregistrée."))
    return redirect("services_staff:edit", pk=service.pk)
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from tenants.errors import DomainError

from .french import after_colon


@dataclass
class Refusal:
    """How the block ended: `error` is the refusal, None when the service accepted. True when refused."""

    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is not None


@contextmanager
def refusal_as_message(request: HttpRequest, wording: str = "%(error)s", **values: object) -> Iterator[Refusal]:
    """A refusal becomes an error message for the next page.

    `wording` (translated) puts the refusal's message in a sentence:
    `refusal_as_message(request, _("%(child)s : %(error)s"), child=child)`.
    """
    refusal = Refusal()
    try:
        yield refusal
    except DomainError as error:
        refusal.error = error
        message = error.message if wording.startswith("%(error)s") else after_colon(error.message)
        messages.error(request, wording % {**values, "error": message})


@contextmanager
def refusal_as_form_error(form: forms.BaseForm, field: str | None = None, *,
                          fields: Mapping[type[DomainError], str] | None = None) -> Iterator[Refusal]:
    """A refusal becomes an error of `form`, shown beside `field` (None: above the form).

    `fields` sends some refusals elsewhere, by class, first match wins:
    `fields={UploadRejected: "attachment"}`.
    """
    refusal = Refusal()
    try:
        yield refusal
    except DomainError as error:
        refusal.error = error
        target = next((name for kind, name in (fields or {}).items() if isinstance(error, kind)), field)
        form.add_error(target, error.message)
