"""Random passwords that meet the policy, for "Générer un mot de passe automatiquement".

Drawn from the operating system's CSPRNG (`secrets.SystemRandom`). Look-alike characters
(l, I, O, 0, 1, |) are left out so that the password can be copied by hand.
"""

import random
import secrets

LOWER = "abcdefghijkmnpqrstuvwxyz"
UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
DIGITS = "23456789"
SPECIAL = "!#$%&*+-=?@_"
ALPHABET = LOWER + UPPER + DIGITS + SPECIAL

DEFAULT_LENGTH = 12
MIN_LENGTH = 8


def generate_password(*, length: int = DEFAULT_LENGTH, rng: random.Random | None = None) -> str:
    """A random password of `length` characters with at least one of each required class.

    `rng` exists for tests (a seeded generator); production code leaves it to the CSPRNG.
    """
    if length < MIN_LENGTH:
        raise ValueError(f"length must be at least {MIN_LENGTH}")
    rng = rng or secrets.SystemRandom()
    chars = [rng.choice(LOWER), rng.choice(UPPER), rng.choice(DIGITS), rng.choice(SPECIAL)]
    chars += [rng.choice(ALPHABET) for _ in range(length - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)
