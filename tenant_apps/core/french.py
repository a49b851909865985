"""Small rules of French the pages need when a name is put in a sentence.

`de("Anna")` is "d'Anna", `de("Théo")` "de Théo"; a town's official name takes its article:
`de("Mairie de Lannion")` is "de la Mairie de Lannion", `de("Syndicat des écoles")` "du Syndicat
des écoles". `agreed(child, "inscrit")` agrees a participle with a child's sex.
"""

from __future__ import annotations

import unicodedata

# Nouns an official town name may start with, and the article they take after "de".
_FEMININE = ("mairie", "ville", "commune", "communauté", "métropole", "agglomération", "régie")
_MASCULINE = ("syndicat", "sivu", "sivom", "centre", "service", "pôle")
_VOWELS = "aeiouy"


def _starts_with_vowel_sound(word: str) -> bool:
    first = unicodedata.normalize("NFD", word.strip()[:1].lower())[:1]
    return first in _VOWELS or first == "h"  # first names with an aspirated h are rare: "d'Hugo"


def de(name: str) -> str:
    """The name after the preposition "de", with its article or élision."""
    name = (name or "").strip()
    if not name:
        return ""
    first_word = name.split()[0].lower()
    if first_word in _FEMININE:
        return ("de l'" if _starts_with_vowel_sound(name) else "de la ") + name
    if first_word in _MASCULINE:
        return f"du {name}"
    return f"d'{name}" if _starts_with_vowel_sound(name) else f"de {name}"


def agreed(child: object, masculine: str, feminine: str | None = None) -> str:
    """The participle agreed with the child's sex (masculine when unknown, as French does)."""
    return (feminine or f"{masculine}e") if getattr(child, "sex", "") == "F" else masculine


def after_colon(text: object) -> str:
    """A sentence put after a colon starts in lower case ("Théo : la date butoir est dépassée"),
    unless its first word is an acronym or a name in capitals ("PAI", "ALSH")."""
    text = str(text)
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


# First words of service names, by gender (for "au"/"à la").
_SERVICE_MASCULINE = ("service", "pôle", "centre", "secteur", "guichet", "bureau", "relais", "multi-accueil",
                      "périscolaire", "restaurant", "conservatoire", "club")
_SERVICE_FEMININE = ("restauration", "cantine", "crèche", "halte-garderie", "garderie", "maison", "direction",
                     "mairie", "régie", "ludothèque", "médiathèque", "cellule", "mission")


def au(name: str) -> str:
    """A service's name after "à": "au Service enfance", "à la Restauration scolaire",
    "à l'Accueil de loisirs"; a name whose gender is not known: "au service « Les P'tits Loups »"."""
    name = (name or "").strip()
    first_word = name.split()[0].lower() if name else ""
    if first_word in ("le", "les", "la", "l'") or first_word.startswith("l'"):
        return f"au service « {name} »"
    if _starts_with_vowel_sound(name) and first_word not in _SERVICE_MASCULINE + _SERVICE_FEMININE:
        return f"à l'{name}"
    if first_word in _SERVICE_MASCULINE:
        return f"à l'{name}" if _starts_with_vowel_sound(name) else f"au {name}"
    if first_word in _SERVICE_FEMININE:
        return f"à la {name}"
    return f"au service « {name} »"
