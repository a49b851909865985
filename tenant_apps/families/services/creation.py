"""Creation of households, guardians and children (staff screens, the CSV import, the demo)."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenant_apps.accounts.services import account_for_guardian

from ..errors import InvalidValue
from ..fields import BY_KEY
from ..models import Child, Guardian, Household
from ..validators import normalize_phone, validate_not_future, validate_postcode
from .guardian_logins import guardian_email_check


@transaction.atomic
def household_create(*, name: str, address_line: str = "", address_line2: str = "", postcode: str = "",
                     city: str = "", family_quotient: int | None = None, family_quotient_valid_from: date | None = None,
                     family_quotient_valid_until: date | None = None, external_ref: str = "") -> Household:
    if not name.strip():
        raise InvalidValue(errors={"name": [_("Indiquez le nom du foyer.")]})
    try:
        validate_postcode(postcode)
    except ValidationError as error:
        raise InvalidValue(errors={"postcode": list(error.messages)}) from None
    return Household.objects.create(
        name=name.strip(), address_line=address_line, address_line2=address_line2, postcode=postcode, city=city,
        family_quotient=family_quotient, family_quotient_valid_from=family_quotient_valid_from,
        family_quotient_valid_until=family_quotient_valid_until, external_ref=external_ref,
    )


@transaction.atomic
def guardian_create(*, household: Household, first_name: str, last_name: str, email: str = "",
                    with_account: bool = True, **details: Any) -> Guardian:
    """Add a guardian to a household; with an e-mail, also their login account (no password)."""
    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if not first_name.strip() or not last_name.strip():
        errors["name"] = [_("Indiquez le nom et le prénom du responsable.")]
    for attr in ("mobile_phone", "home_phone", "work_phone"):
        try:
            details[attr] = normalize_phone(details.get(attr, ""))
        except ValidationError as error:
            errors[attr] = list(error.messages)
    if details.get("birth_date"):
        try:
            validate_not_future(details["birth_date"])
        except ValidationError as error:
            errors["birth_date"] = list(error.messages)
    if email:
        try:
            BY_KEY["guardian.email"].form_field().clean(email)
            guardian_email_check(email=email, guardian=None)
        except ValidationError as error:
            errors["email"] = list(error.messages)
        except InvalidValue as error:
            errors["email"] = [str(error.message)]
    if errors:
        raise InvalidValue(errors=errors)
    guardian = Guardian(household=household, first_name=first_name.strip(), last_name=last_name.strip(), email=email,
                        **{k: v for k, v in details.items() if v not in (None,)})
    if email and with_account:
        guardian.user = account_for_guardian(email=email, first_name=guardian.first_name,
                                             last_name=guardian.last_name)
    guardian.save()
    return guardian


@transaction.atomic
def child_create(*, household: Household, first_name: str, last_name: str, birth_date: date,
                 birth_city: str = "", sex: str = "", diet: str = "", **details: Any) -> Child:
    errors: dict[str, list[str]] = {}
    if not first_name.strip() or not last_name.strip():
        errors["name"] = [_("Indiquez le nom et le prénom de l'enfant.")]
    if birth_date is None:
        errors["birth_date"] = [_("Indiquez la date de naissance de l'enfant.")]
    else:
        try:
            validate_not_future(birth_date)
        except ValidationError as error:
            errors["birth_date"] = list(error.messages)
    if sex and sex not in Child.Sex.values:
        errors["sex"] = [_("Le sexe doit être F ou M.")]
    if diet and diet not in Child.Diet.values:
        errors["diet"] = [_("Régime alimentaire inconnu.")]
    if errors:
        raise InvalidValue(errors=errors)
    return Child.objects.create(household=household, first_name=first_name.strip(), last_name=last_name.strip(),
                                birth_date=birth_date, birth_city=birth_city, sex=sex, diet=diet, **details)
