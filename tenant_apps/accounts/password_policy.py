"""The CNIL-style password rules shown to parents, enforced server-side as a Django validator.

Characters are classified by their Unicode category, so that the live checklist in the
browser (`static/accounts/password.js`, written with the same `\\p{…}` classes) and this
validator agree on accented letters: "é" is a lowercase letter, not a special character.

- lowercase: category Ll; uppercase: Lu; digit: Nd;
- special character: anything that is neither a letter (L*) nor a decimal digit (Nd):
  punctuation, symbols, spaces.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MIN_LENGTH = 8


def _is_lower(char: str) -> bool:
    return unicodedata.category(char) == "Ll"


def _is_upper(char: str) -> bool:
    return unicodedata.category(char) == "Lu"


def _is_digit(char: str) -> bool:
    return unicodedata.category(char) == "Nd"


def _is_special(char: str) -> bool:
    category = unicodedata.category(char)
    return not category.startswith("L") and category != "Nd"


@dataclass(frozen=True)
class Rule:
    code: str
    label: str | Promise
    check: Callable[[str], bool]


RULES: list[Rule] = [
    Rule("length", gettext_lazy("8 caractères minimum"), lambda p: len(p) >= MIN_LENGTH),
    Rule("lower", gettext_lazy("1 minuscule"), lambda p: any(map(_is_lower, p))),
    Rule("upper", gettext_lazy("1 majuscule"), lambda p: any(map(_is_upper, p))),
    Rule("special", gettext_lazy("1 caractère spécial"), lambda p: any(map(_is_special, p))),
    Rule("digit", gettext_lazy("1 chiffre"), lambda p: any(map(_is_digit, p))),
]
# The sixth line of the checklist is checked by the form (it needs both entries).
SAME_RULE_LABEL = gettext_lazy("Les 2 mots de passe saisis sont identiques")


def unmet_rules(password: str) -> list[str]:
    """Labels of the rules `password` does not meet, in the checklist's order."""
    return [str(rule.label) for rule in RULES if not rule.check(password)]


def unmet_rule_codes(password: str) -> list[str]:
    return [rule.code for rule in RULES if not rule.check(password)]


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
