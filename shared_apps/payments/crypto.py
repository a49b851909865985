"""Encryption at rest of payment-provider parameters (Fernet).

The key is the PAYMENT_CONFIG_KEY setting (any secret string), independent of SECRET_KEY:
rotating the secret key keeps the stored parameters readable. Production refuses to start
without it; local and test settings default it to what it was derived from before.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Parameters that are not secret and may be displayed in full.
PUBLIC_PARAMS = frozenset(
    {"saisie", "origin", "dummy_service_url", "normal_return_url", "automatic_return_url", "capture_day"}
)


class ParamsUnreadable(Exception):
    """The stored parameters cannot be decrypted (the key changed)."""


def _secret() -> bytes:
    if not settings.PAYMENT_CONFIG_KEY:
        raise ImproperlyConfigured("PAYMENT_CONFIG_KEY is not set.")
    return settings.PAYMENT_CONFIG_KEY.encode()


def fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(_secret()).digest()))


def signing_key(purpose: str) -> bytes:
    """A key for HMAC signatures, derived from the same secret (e.g. the simulated bank)."""
    return hashlib.sha256(_secret() + b":" + purpose.encode()).digest()


def encrypt_params(params: dict) -> str:
    if not params:
        return ""
    return fernet().encrypt(json.dumps(params, sort_keys=True).encode()).decode()


def decrypt_params(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(fernet().decrypt(token.encode()))
    except InvalidToken as error:
        raise ParamsUnreadable("payment parameters cannot be decrypted with the current key") from error


def mask_value(name: str, value) -> str:
    text = str(value)
    if name in PUBLIC_PARAMS:
        return text
    if len(text) <= 4:
        return "••••"
    return f"{text[:2]}••••{text[-1:]}" if len(text) > 8 else f"{text[:1]}••••"


def mask_params(params: dict) -> dict:
    return {name: mask_value(name, value) for name, value in sorted(params.items())}
