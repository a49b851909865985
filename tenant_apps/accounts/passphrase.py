"""Turn a sentence the parent remembers into a password ("Générer un mot de passe à partir d'une phrase").

The rule, applied to the sentence after Unicode NFC normalisation:

1. The sentence is cut into *words* (runs of letters and digits) and *signs*; spaces only
   separate. Apostrophes and hyphens are signs, so "l'école" is "l", "'", "école".
2. A word that is a French number word from zéro to dix becomes its digits:
   zéro/zero → 0, un/une → 1, deux → 2, trois → 3, quatre → 4, cinq → 5, six → 6,
   sept → 7, huit → 8, neuf → 9, dix → 10 (case and accents as typed do not matter).
   "de" is read as its homophone "deux" → 2, as in the guide's example.
3. Any other word gives its first letter, case kept ("Ouest" → "O", "école" → "é"),
   followed by every digit it contains: "3D" → "3", "A320" → "A320", "10h30" → "1030".
4. Every sign is kept as typed: punctuation and symbols such as ! ? , ; : ' - @ €.
   Invisible control and format characters are dropped.

The guide's example "Le nouveau portail de connexion 3D Ouest !" gives
L + n + p + 2 + c + 3 + O + ! = "Lnp2c3O!".

The result is shown to the parent with the rules it does not meet (it must pass the same
policy as any password), and advice on how to change the sentence.
"""

import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .password_policy import RULES

NUMBER_WORDS = {
    "zéro": "0",
    "zero": "0",
    "un": "1",
    "une": "1",
    "deux": "2",
    "de": "2",
    "trois": "3",
    "quatre": "4",
    "cinq": "5",
    "six": "6",
    "sept": "7",
    "huit": "8",
    "neuf": "9",
    "dix": "10",
}

# What to change in the sentence for each unmet rule (codes of password_policy.RULES).
ADVICE = {
    "length": _("allongez votre phrase (chaque mot, nombre ou signe compte pour un caractère)"),
    "lower": _("commencez au moins un mot par une minuscule"),
    "upper": _("commencez au moins un mot par une majuscule"),
    "special": _("ajoutez un signe de ponctuation, par exemple « ! » ou « ? »"),
    "digit": _("ajoutez un nombre (« 3 », « 2024 ») ou un mot comme « deux » ou « trois »"),
}


@dataclass(frozen=True)
class PassphraseResult:
    password: str
    unmet: list[str] = field(default_factory=list)  # labels of the unmet rules
    unmet_codes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unmet

    @property
    def advice(self) -> list[str]:
        return [str(ADVICE[code]) for code in self.unmet_codes]


def _kind(char: str) -> str:
    if char.isspace():
        return "space"
    category = unicodedata.category(char)
    if category[0] in "LM":
        return "letter"
    if category == "Nd":
        return "digit"
    if category[0] == "C":
        return "invisible"
    return "sign"


def _word_to_chars(word: str) -> str:
    digits = NUMBER_WORDS.get(word.casefold())
    if digits is not None:
        return digits
    first = word[0] if unicodedata.category(word[0])[0] == "L" else ""
    return first + "".join(char for char in word if _kind(char) == "digit")


def passphrase_to_password(sentence: str) -> str:
    """The password the rule of this module derives from `sentence` (pure, deterministic)."""
    out: list[str] = []
    word: list[str] = []

    def flush() -> None:
        if word:
            out.append(_word_to_chars("".join(word)))
            word.clear()

    for char in unicodedata.normalize("NFC", sentence):
        kind = _kind(char)
        if kind in ("letter", "digit"):
            word.append(char)
            continue
        flush()
        if kind == "sign":
            out.append(char)
    flush()
    return "".join(out)


def passphrase_convert(sentence: str) -> PassphraseResult:
    """The derived password and the policy rules it does not meet."""
    password = passphrase_to_password(sentence)
    failing = [rule for rule in RULES if not rule.check(password)]
    return PassphraseResult(
        password=password,
        unmet=[str(rule.label) for rule in failing],
        unmet_codes=[rule.code for rule in failing],
    )
