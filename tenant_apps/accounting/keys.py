"""Check digits of the accounting identifiers: the SIRET (Luhn) and the two keys of an ORMC
rôle article (Cle1 modulo 11, Cle2 modulo 23).

The DGFiP schema annotations define the inputs of the ORMC keys ("Cle1: modulo 11 sur le code
collectivité + le code nature + 2 derniers chiffres de l'exercice + la période + le numéro de
dette"; "Cle2: modulo 23 sur les deux derniers chiffres de l'exercice + la période + 00 + le
numéro de dette") and refer to ANNEXE_TECHNIQUE_PES_SEPA_ORMC for the computation, which is not
public in the sources we could read. The reading implemented here: the inputs concatenated into
one number (letters of the code collectivité as their base-36 value, A = 10), its remainder;
Cle1 is that remainder modulo 11 (10 written 0, the key is one digit) and Cle2 is the letter of
rank (remainder modulo 23) in the 23-letter alphabet without I, O and Q.
"""

ALPHABET_23 = "ABCDEFGHJKLMNPRSTUVWXYZ"
# The SIREN of La Poste, whose establishments' SIRET follow a sum-of-digits rule, not Luhn.
LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_valid(value: str) -> bool:
    """14 digits whose Luhn check holds (La Poste's: digits summing to a multiple of 5)."""
    if len(value) != 14 or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_SIREN + "00012":
        return sum(int(c) for c in value) % 5 == 0
    return luhn_valid(value)


def _as_number(text: str) -> int:
    """The digits of `text` read as one number; a letter counts as its base-36 value (A = 10), and
    anything else is left out (the schema refuses it in the file anyway)."""
    return int("".join(str(int(char, 36)) for char in text.upper() if char.isascii() and char.isalnum()) or "0")


def cle1(*, cod_col: str, nature_code: str, year: int, period: str, debt_number: int) -> str:
    """The modulo 11 key of an ORMC article: one digit."""
    remainder = _as_number(f"{cod_col}{nature_code}{year % 100:02d}{period}{debt_number}") % 11
    return str(remainder % 10)


def cle2(*, year: int, period: str, debt_number: int) -> str:
    """The modulo 23 key of an ORMC article: one letter."""
    return ALPHABET_23[_as_number(f"{year % 100:02d}{period}00{debt_number}") % 23]
