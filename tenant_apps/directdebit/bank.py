"""Bank identifiers: IBAN and BIC checks (schwifty) with French messages, the creditor identifier
(ICS) check, IBAN encryption at rest (the payment parameters' key) and masking."""

import re

from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from shared_apps.payments.crypto import ParamsUnreadable, fernet

from .errors import InvalidBankDetails

ICS_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$")


def iban_clean(value: str) -> str:
    """The IBAN in its electronic form (no spaces, upper case), or InvalidBankDetails in French."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        raise InvalidBankDetails(_("Saisissez l'IBAN du compte à prélever."), code="iban_missing")
    try:
        iban = IBAN(compact)
    except (SchwiftyException, ValueError, KeyError, IndexError) as error:
        raise InvalidBankDetails(
            _("L'IBAN « %(iban)s » n'est pas valide : vérifiez-le sur votre RIB.") % {"iban": compact},
            code="iban_invalid",
        ) from error
    if not iban.country_code or not iban.country or not getattr(iban.country, "alpha_2", ""):
        raise InvalidBankDetails(code="iban_invalid")
    return str(iban.compact)


def bic_clean(value: str, *, iban: str = "") -> str:
    """The BIC (8 or 11 characters), checked; when blank, the one schwifty knows for the IBAN's bank."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact and iban:
        found = IBAN(iban).bic
        if found is not None:
            return str(found)
        raise InvalidBankDetails(_("Saisissez le BIC de votre banque (il figure sur votre RIB)."), code="bic_missing")
    try:
        bic = BIC(compact)
    except (SchwiftyException, ValueError, KeyError, IndexError) as error:
        raise InvalidBankDetails(
            _("Le BIC « %(bic)s » n'est pas valide : 8 ou 11 caractères, comme sur votre RIB.") % {"bic": compact},
            code="bic_invalid",
        ) from error
    return str(bic.compact)


def _ics_digits(text: str) -> int:
    return int("".join(str(int(char, 36)) for char in text))


def ics_clean(value: str) -> str:
    """A SEPA creditor identifier (ICS, e.g. FR72ZZZ123456): shape and check digits (ISO 7064
    mod 97-10 over the national identifier and the country, the business code left out)."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not ICS_SHAPE.match(compact):
        raise InvalidBankDetails(
            _("L'ICS « %(ics)s » n'a pas la forme d'un identifiant créancier SEPA (ex. FR72ZZZ123456).") % {"ics": compact},
            code="ics_invalid",
        )
    expected = 98 - _ics_digits(compact[7:] + compact[:2] + "00") % 97
    if int(compact[2:4]) != expected:
        raise InvalidBankDetails(
            _("La clé de l'ICS « %(ics)s » est fausse : vérifiez-le auprès de votre banque.") % {"ics": compact},
            code="ics_invalid",
        )
    return compact


def iban_encrypt(iban: str) -> str:
    return fernet().encrypt(iban.encode()).decode()


def iban_decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except Exception as error:
        raise ParamsUnreadable("an IBAN cannot be decrypted with the current key") from error


def iban_mask(iban: str) -> str:
    """FR76 **** **** **** **** **** 189: the country and key, then the last three characters."""
    if len(iban) < 8:
        return "****"
    groups = (len(iban) - 4 + 3) // 4
    hidden = " ".join(["****"] * max(1, groups - 1))
    return f"{iban[:4]} {hidden} {iban[-3:]}"
