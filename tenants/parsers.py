"""The API's JSON parser: DRF's, refusing what no endpoint needs and the server cannot store.

A body nested deeper than MAX_DEPTH levels is a 400 (thousands of `[` used to exhaust the
recursion limit: a 500). A string holding a lone UTF-16 surrogate (`"\\ud800"`, valid JSON
but not valid text) is a 400 naming its field: PostgreSQL cannot store it, and the JSON
renderer cannot write it back. Django decodes forms, query strings and paths with
replacement characters, so JSON is the only door such strings come through.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

MAX_DEPTH = 64


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_too_deep()) from None
        check_parsed(data)
        return data


def _too_deep() -> str:
    return _("Le corps de la requête est trop imbriqué (%(depth)s niveaux au plus).") % {"depth": MAX_DEPTH}


def is_valid_text(value: str) -> bool:
    """Whether `value` can be encoded in UTF-8 (no lone surrogate)."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_parsed(data) -> None:
    """Refuse parsed JSON nested deeper than MAX_DEPTH, or holding a key or a string that is not
    valid text (a ValidationError naming the field, dotted for nested ones: `children.0.name`)."""
    pending = [(data, 1, "")]
    while pending:
        value, depth, path = pending.pop()
        if isinstance(value, str):
            if not is_valid_text(value):
                _invalid_text(path)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise ParseError(_too_deep())
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str) and not is_valid_text(key):
                _invalid_text(path)
            pending.append((item, depth + 1, f"{path}.{key}" if path else str(key)))


def _invalid_text(path: str):
    message = _("Ce texte contient un caractère invalide (demi-paire de substitution Unicode isolée).")
    raise ValidationError({path or "non_field_errors": [message]})
