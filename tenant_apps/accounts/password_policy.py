"""The CNIL-style password rules shown to parents, enforced server-side as a Django validator."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SPECIAL_RE = re.compile(r"[^A-Za-z0-9]")

RULES = [
    ("length", "8 caractères minimum", lambda p: len(p) >= 8),
    ("lower", "1 minuscule", lambda p: re.search(r"[a-z]", p) is not None),
    ("upper", "1 majuscule", lambda p: re.search(r"[A-Z]", p) is not None),
    ("special", "1 caractère spécial", lambda p: SPECIAL_RE.search(p) is not None),
    ("digit", "1 chiffre", lambda p: re.search(r"\d", p) is not None),
]


def unmet_rules(password: str) -> list[str]:
    return [label for _code, label, check in RULES if not check(password)]


class CnilPasswordValidator:
    def validate(self, password, user=None):
        missing = unmet_rules(password)
        if missing:
            raise ValidationError(
                _("Le mot de passe doit comprendre : %(rules)s.") % {"rules": ", ".join(missing)},
                code="password_policy",
            )

    def get_help_text(self):
        return _("8 caractères minimum, 1 minuscule, 1 majuscule, 1 caractère spécial et 1 chiffre.")
