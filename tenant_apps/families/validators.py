"""Validation rules of the family record, with French messages (shared by pages, API, import)."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenant_apps.core.clock import town_today

POSTCODE = re.compile(r"^\d{5}$")


def normalize_phone(value: str) -> str:
    """A valid phone number (French by default) in its usual written form, or ValidationError.

    French numbers are kept in national format ("06 12 34 56 78"), foreign ones in
    international format ("+32 470 12 34 56").
    """
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Numéro de téléphone invalide : saisissez par exemple 06 12 34 56 78."), code="invalid_phone"
        )
    if phonenumbers.region_code_for_number(number) == "FR":
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_postcode(value: str) -> None:
    if value and not POSTCODE.match(value):
        raise ValidationError(_("Le code postal doit comporter 5 chiffres."), code="invalid_postcode")


def validate_not_future(value) -> None:
    if value and value > town_today():
        raise ValidationError(_("La date ne peut pas être dans le futur."), code="future_date")
