"""The password rules: the validators the server enforces, and the checklist the page shows.

One source of truth: every validator of AUTH_PASSWORD_VALIDATORS declares the checklist
lines it enforces (`checklist(user)`), the password page renders exactly those lines, and
the browser (`static/accounts/password.js`) checks each of them live with the same
algorithm. A validator without checklist lines fails the system checks (`accounts.E001`);
a line whose code the browser does not know is shown as "vérifié à l'envoi", never green.

The CNIL rules classify characters by their Unicode category, so that the browser (same
`\\p{…}` classes) and the server agree on accented letters: "é" is a lowercase letter,
not a special character.

- lowercase: category Ll; uppercase: Lu; digit: Nd;
- special character: anything that is neither a letter (L*) nor a decimal digit (Nd):
  punctuation, symbols, spaces.
"""

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from django.contrib.auth import password_validation
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
# The last line of the checklist is checked by the form (it needs both entries).
SAME_RULE_LABEL = gettext_lazy("Les 2 mots de passe saisis sont identiques")


def unmet_rules(password: str) -> list[str]:
    """Labels of the rules `password` does not meet, in the checklist's order."""
    return [str(rule.label) for rule in RULES if not rule.check(password)]


def unmet_rule_codes(password: str) -> list[str]:
    return [rule.code for rule in RULES if not rule.check(password)]


@dataclass(frozen=True)
class ChecklistLine:
    """One line of the live checklist: `code` names the browser's check, `data` feeds it."""

    code: str
    label: str | Promise
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def data_json(self) -> str:
        return json.dumps(self.data, ensure_ascii=False) if self.data else ""


class ChecklistValidator(Protocol):
    """What every configured password validator is (system check `accounts.E001`)."""

    def checklist(self, user=None) -> list[ChecklistLine]: ...


def checklist(user=None) -> list[ChecklistLine]:
    """The lines of every configured validator, in AUTH_PASSWORD_VALIDATORS' order."""
    validators = cast(list[ChecklistValidator], password_validation.get_default_password_validators())
    return [line for validator in validators for line in validator.checklist(user)]


class CnilPasswordValidator:
    def checklist(self, user=None) -> list[ChecklistLine]:
        return [ChecklistLine(rule.code, rule.label) for rule in RULES]

    def validate(self, password, user=None):
        missing = unmet_rules(password)
        if missing:
            raise ValidationError(
                _("Le mot de passe doit comprendre : %(rules)s.") % {"rules": ", ".join(missing)},
                code="password_policy",
            )

    def get_help_text(self):
        return _("8 caractères minimum, 1 minuscule, 1 majuscule, 1 caractère spécial et 1 chiffre.")


class NotLikeAccountValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's similarity rule (e-mail, first and last names), with its checklist line.

    The page gets the very parts Django compares the password with (each attribute
    lowercased, whole and cut at non-word characters); the browser runs Django's
    length-ratio shortcut and `SequenceMatcher.quick_ratio` on them.
    """

    def similar_parts(self, user) -> list[str]:
        parts: list[str] = []
        for attribute_name in self.user_attributes:
            value = getattr(user, attribute_name, None)
            if not value or not isinstance(value, str):
                continue
            value_lower = value.lower()
            for part in [*re.split(r"\W+", value_lower), value_lower]:
                if part not in parts:
                    parts.append(part)
        return parts

    def checklist(self, user=None) -> list[ChecklistLine]:
        data = {"parts": self.similar_parts(user), "max_similarity": self.max_similarity} if user else {}
        return [ChecklistLine("not_like_account", gettext_lazy("Ne ressemble pas à votre adresse e-mail ni à votre nom"),
                              data)]


class NotCommonValidator(password_validation.CommonPasswordValidator):
    """Django's common-password rule (its list of 20,000), with its checklist line.

    The browser fetches the same list (about 60 kB compressed, cached a day), so the line
    is exact for every password, whatever else it misses.
    """

    def checklist(self, user=None) -> list[ChecklistLine]:
        # The page says where the browser fetches `common_passwords()` (a URL of the town).
        return [ChecklistLine("not_common", gettext_lazy("N'est pas un mot de passe courant"))]


def common_passwords() -> list[str]:
    """The passwords of every configured common-password validator, as they compare them (lowercased)."""
    return sorted({password for validator in password_validation.get_default_password_validators()
                   if isinstance(validator, NotCommonValidator) for password in validator.passwords})
