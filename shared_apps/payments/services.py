"""Writes of the payment-provider configuration (operators: CLI and /ops/ admin)."""

import eopayment
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.models import Town

from .crypto import encrypt_params
from .errors import InvalidParameter, UnknownBackend, UnknownParameter
from .models import BACKEND_CHOICES, PaymentProviderConfig

# Set per request by the billing app (they depend on the town's address), never by operators.
COMPUTED_PARAMS = frozenset({"normal_return_url", "automatic_return_url", "next_url", "direct_notification_url"})


def backend_parameters(backend: str) -> dict[str, dict]:
    """The parameters eopayment documents for `backend`, by name."""
    if backend not in dict(BACKEND_CHOICES):
        raise UnknownBackend(_("Prestataire de paiement inconnu : %(backend)s.") % {"backend": backend})
    description = eopayment.get_backend(backend).description
    return {p["name"]: p for p in description.get("parameters", []) if not p.get("deprecated")}


def _validate_params(backend: str, params: dict) -> dict:
    known = backend_parameters(backend)
    cleaned = {}
    for name, value in params.items():
        if name in COMPUTED_PARAMS:
            raise UnknownParameter(_("Le paramètre « %(name)s » est calculé par le portail, ne le renseignez pas.") % {"name": name})
        spec = known.get(name)
        if spec is None:
            raise UnknownParameter(
                _("Paramètre inconnu pour %(backend)s : « %(name)s » (connus : %(known)s).") % {
                    "backend": backend, "name": name, "known": ", ".join(sorted(set(known) - COMPUTED_PARAMS))}
            )
        choices = spec.get("choices")
        if choices and spec.get("type") is not list:
            allowed = [c[0] if isinstance(c, tuple | list) else c for c in choices]
            if value not in allowed:
                raise InvalidParameter(_("« %(name)s » doit valoir l'une de : %(allowed)s.") % {
                    "name": name, "allowed": ", ".join(map(str, allowed))})
        validation = spec.get("validation")
        if validation is not None and not validation(str(value)):
            raise InvalidParameter(_("Valeur invalide pour « %(name)s ».") % {"name": name})
        cleaned[name] = value
    return cleaned


def payment_config_check(*, backend: str, params: dict, enabled: bool) -> dict:
    """The cleaned parameters, or a domain error saying what is wrong (no write)."""
    cleaned = _validate_params(backend, params)
    required = [
        name for name, spec in backend_parameters(backend).items()
        if spec.get("required") and name not in COMPUTED_PARAMS and name not in cleaned
    ]
    if enabled and required:
        raise InvalidParameter(_("Paramètres obligatoires manquants pour %(backend)s : %(names)s.") % {
            "backend": backend, "names": ", ".join(required)})
    return cleaned


def _merged(config: PaymentProviderConfig | None, backend: str, params: dict | None, replace: bool) -> dict:
    current = {} if (config is None or replace or config.backend != backend) else config.params
    merged = {**current}
    for name, value in (params or {}).items():
        if value in ("", None):
            merged.pop(name, None)
        else:
            merged[name] = value
    return merged


@transaction.atomic
def payment_config_set(
    *,
    town: Town,
    backend: str,
    params: dict | None = None,
    enabled: bool | None = None,
    replace_params: bool = False,
) -> PaymentProviderConfig:
    """Create or update the town's provider. `params` are merged into the stored ones unless
    `replace_params`; a parameter set to an empty string is removed."""
    backend_parameters(backend)  # validates the backend name
    config = PaymentProviderConfig.objects.select_for_update().filter(town_id=town.pk).first()
    merged = _merged(config, backend, params, replace_params)
    if config is None:
        config = PaymentProviderConfig(town_id=town.pk, backend=backend)
    is_enabled = config.enabled if enabled is None else enabled
    cleaned = payment_config_check(backend=backend, params=merged, enabled=is_enabled)
    config.backend = backend
    config.encrypted_params = encrypt_params(cleaned)
    config.enabled = is_enabled
    config.save()
    return config


def payment_config_preview(*, town: Town, backend: str, params: dict | None, enabled: bool) -> dict:
    """What `payment_config_set` would store, checked, without writing (for forms)."""
    backend_parameters(backend)
    config = PaymentProviderConfig.objects.filter(town_id=town.pk).first()
    return payment_config_check(backend=backend, params=_merged(config, backend, params, False), enabled=enabled)
