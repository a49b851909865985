"""Tariff selection: which unit price a household pays for a service on a day.

A household pays the bracket its quotient familial falls in; without a QF valid on that
day it pays the top bracket (the usual rule). Loaded once per run, so pricing a booking
costs no query.
"""

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from tenant_apps.families.models import Household

from .errors import NoTariff
from .models import Tariff, TariffBracket

CENT = Decimal("0.01")


def valid_family_quotient(household: Household, day: date) -> int | None:
    """The household's QF if it is valid on `day`, else None."""
    qf = household.family_quotient
    if qf is None:
        return None
    if household.family_quotient_valid_from and day < household.family_quotient_valid_from:
        return None
    if household.family_quotient_valid_until and day > household.family_quotient_valid_until:
        return None
    return qf


def bracket_for(brackets: list[TariffBracket], qf: int | None) -> TariffBracket:
    ordered = sorted(brackets, key=lambda b: b.qf_min)
    top = ordered[-1]
    if qf is None:
        return top
    for bracket in ordered:
        if bracket.qf_min <= qf and (bracket.qf_max is None or qf <= bracket.qf_max):
            return bracket
    # A QF outside every bracket (a gap or above the last bound) pays the top bracket.
    return top


def tariff_price(tariff: Tariff, household: Household, day: date) -> Decimal:
    if tariff.mode == Tariff.Mode.FLAT:
        if tariff.unit_price is None:
            raise NoTariff(_("Le tarif « %(tariff)s » n'a pas de prix unitaire.") % {"tariff": tariff})
        return tariff.unit_price
    brackets = list(tariff.brackets.all())
    if not brackets:
        raise NoTariff(_("Le tarif « %(tariff)s » n'a aucune tranche de quotient familial.") % {"tariff": tariff})
    return bracket_for(brackets, valid_family_quotient(household, day)).price


def with_surcharge(price: Decimal, percent: Decimal) -> Decimal:
    return (price * (Decimal(100) + percent) / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


class TariffBook:
    """The tariffs of a period, indexed by service (no query after construction)."""

    def __init__(self, tariffs: list[Tariff]):
        self._by_service: dict[int, list[Tariff]] = defaultdict(list)
        for tariff in sorted(tariffs, key=lambda t: (t.valid_from, t.pk), reverse=True):
            self._by_service[tariff.service_id].append(tariff)

    def tariff_on(self, service_id: int, day: date, *, service_name: str = "") -> Tariff:
        for tariff in self._by_service.get(service_id, []):
            if tariff.valid_from <= day and (tariff.valid_until is None or day <= tariff.valid_until):
                return tariff
        label = service_name or f"n° {service_id}"
        raise NoTariff(_("Aucun tarif pour « %(service)s » le %(day)s.") % {"service": label, "day": f"{day:%d/%m/%Y}"})

    def price(self, service_id: int, household: Household, day: date, *, service_name: str = "") -> Decimal:
        return tariff_price(self.tariff_on(service_id, day, service_name=service_name), household, day)
