"""REST API glue: every error is a 4xx JSON answer of one shape, and the OpenAPI says so.

The shape is `{"code": <stable code>, "detail": <French message>, "errors": {<field>: [<message>]}}`
(`errors` only for invalid input). Domain errors, DRF's validation, authentication and
throttling errors, bodies over the size limit and unknown addresses all answer it;
`AutoSchema` documents it on every operation.
"""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable code (invalid, not_found, not_authenticated, deadline_passed…).")
    detail = serializers.CharField(help_text="What went wrong, in French, for people.")
    # The serializer's metaclass pops declared fields, so Serializer.errors stays DRF's property at run time.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="Invalid input only: the messages of each field.",
    )

    class Meta:
        ref_name = "Error"


def _messages(detail, field: str = "") -> list[str]:
    """Every message of a (nested) DRF error detail, prefixed by its field's name."""
    if isinstance(detail, dict):
        out = []
        for name, value in detail.items():
            out.extend(_messages(value, "" if name == "non_field_errors" else str(name)))
        return out
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item, field)]
    return [f"{field} : {detail}" if field else str(detail)]


def _field_errors(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(name): _messages(value) for name, value in detail.items()}
    return {"non_field_errors": _messages(detail)}


def request_too_large_data() -> dict[str, str]:
    return {"code": "request_too_large", "detail": _("La requête est trop volumineuse.")}


def bad_request_data() -> dict[str, str]:
    return {"code": "invalid", "detail": _("Requête invalide.")}


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # Raised by Django while DRF reads the body (DATA_UPLOAD_MAX_MEMORY_SIZE).
        return Response(request_too_large_data(), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):
        # Too many fields or files in a form body: bad input, not a server error.
        return Response(bad_request_data(), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        data: dict[str, object] = {"code": exc.code, "detail": str(exc.message)}
        errors = getattr(exc, "errors", None)
        if errors:
            data["errors"] = {str(name): [str(m) for m in messages] for name, messages in errors.items()}
        return Response(data, status=getattr(exc, "http_status", status.HTTP_400_BAD_REQUEST))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        response.data = {"code": "invalid", "detail": " ".join(_messages(response.data)),
                         "errors": _field_errors(response.data)}
    elif isinstance(response.data, dict) and "code" not in response.data:
        code = getattr(exc, "default_code", None) or "invalid"
        response.data = {"code": code, **response.data}
    return response


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the error answers every view can give (in the `Error` shape),
    unless the view documents that status itself."""

    WRITES = ("POST", "PUT", "PATCH", "DELETE")

    def _requires_authentication(self) -> bool:
        return not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions())

    def _staff_only(self) -> bool:
        """A view for the town's staff (a permission that declares `staff_only`, or DRF's
        IsAdminUser): a signed-in parent gets 403 on every method."""
        return any(isinstance(permission, IsAdminUser) or getattr(permission, "staff_only", False)
                   for permission in self.view.get_permissions())

    def _error_responses(self) -> dict[str, str]:
        has_input = self.method in ("POST", "PUT", "PATCH") or any(
            parameter["in"] == "query" for parameter in self._get_parameters())
        errors = {}
        if has_input:
            errors["400"] = "Invalid input: `detail` says why in French, `errors` field by field."
        if self._requires_authentication():
            errors["401"] = "No credentials, or an invalid or revoked token."
            if self._staff_only():
                errors["403"] = "Staff only: the account is not a staff member of the town."
            elif self.method in self.WRITES:
                errors["403"] = "Refused: a field only the town's staff may change, or a rule of the service."
            errors["404"] = "Unknown or another family's object, or an account without a household."
        elif "{" in self.path:
            errors["404"] = "Unknown object."
        if self.method in ("POST", "PUT", "PATCH"):
            errors["413"] = "Request body over the size limit."
        errors["429"] = "Too many requests from this account or address: retry after `Retry-After` seconds."
        return errors

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in self._error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code, direction=direction)
        return responses
