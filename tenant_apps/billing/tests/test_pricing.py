"""Which price a household pays: flat tariffs, QF brackets (boundaries, missing or expired QF),
validity dates, and the "cantine à 1 €" bracket."""

import datetime as dt
from decimal import Decimal

import pytest

from tenant_apps.catalog.tests.factories import ServiceFactory
from tenant_apps.families.tests.factories import HouseholdFactory

from ..errors import NoTariff
from ..pricing import TariffBook
from ..selectors import tariffs_valid_between
from .factories import TariffFactory, qf_tariff

DAY = dt.date(2019, 4, 8)
BRACKETS = [(0, 400, "0.90"), (401, 800, "2.50"), (801, None, "4.10")]


def price_for(household, service, day=DAY):
    return TariffBook(tariffs_valid_between(day, day)).price(service.pk, household, day)


@pytest.fixture
def canteen_by_qf(town):
    service = ServiceFactory(name="Repas Enfant")
    qf_tariff(service, BRACKETS)
    return service


@pytest.mark.parametrize(
    ("qf", "expected"),
    [(0, "0.90"), (400, "0.90"), (401, "2.50"), (800, "2.50"), (801, "4.10"), (5000, "4.10")],
)
def test_a_household_pays_the_bracket_its_quotient_falls_in_bounds_included(canteen_by_qf, qf, expected):
    # Given a household whose QF is valid all year
    household = HouseholdFactory(family_quotient=qf, family_quotient_valid_from=dt.date(2019, 1, 1),
                                 family_quotient_valid_until=dt.date(2019, 12, 31))
    # Then it pays its bracket's price
    assert price_for(household, canteen_by_qf) == Decimal(expected)


def test_the_lowest_bracket_may_cost_one_euro_or_less_cantine_a_1_euro(canteen_by_qf):
    household = HouseholdFactory(family_quotient=120)
    assert price_for(household, canteen_by_qf) <= Decimal("1.00")


def test_a_household_without_a_quotient_pays_the_top_bracket(canteen_by_qf):
    household = HouseholdFactory(family_quotient=None)
    assert price_for(household, canteen_by_qf) == Decimal("4.10")


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [(dt.date(2018, 1, 1), dt.date(2019, 4, 7)), (dt.date(2019, 4, 9), None)],
    ids=["expired the day before", "valid from the day after"],
)
def test_a_quotient_not_valid_on_the_day_counts_as_missing(canteen_by_qf, valid_from, valid_until):
    household = HouseholdFactory(family_quotient=300, family_quotient_valid_from=valid_from,
                                 family_quotient_valid_until=valid_until)
    assert price_for(household, canteen_by_qf) == Decimal("4.10")


def test_a_quotient_valid_on_its_last_day_still_counts(canteen_by_qf):
    household = HouseholdFactory(family_quotient=300, family_quotient_valid_until=DAY)
    assert price_for(household, canteen_by_qf) == Decimal("0.90")


def test_a_flat_tariff_ignores_the_quotient(town):
    service = ServiceFactory(name="Accueil périscolaire soir")
    TariffFactory(service=service, unit_price=Decimal("1.75"))
    assert price_for(HouseholdFactory(family_quotient=50), service) == Decimal("1.75")
    assert price_for(HouseholdFactory(family_quotient=None), service) == Decimal("1.75")


def test_the_tariff_valid_on_the_booked_day_applies(town):
    # Given a price rise on 15 April
    service = ServiceFactory()
    TariffFactory(service=service, valid_from=dt.date(2019, 1, 1), valid_until=dt.date(2019, 4, 14),
                  unit_price=Decimal("3.00"))
    TariffFactory(service=service, valid_from=dt.date(2019, 4, 15), unit_price=Decimal("3.20"))
    household = HouseholdFactory()
    # Then each day is priced by the tariff of its date
    assert price_for(household, service, dt.date(2019, 4, 14)) == Decimal("3.00")
    assert price_for(household, service, dt.date(2019, 4, 15)) == Decimal("3.20")


def test_a_day_without_any_tariff_is_refused_with_a_clear_message(town):
    service = ServiceFactory(name="ALSH Mercredi matin")
    TariffFactory(service=service, valid_from=dt.date(2019, 9, 1))
    with pytest.raises(NoTariff, match="ALSH Mercredi matin"):
        TariffBook(tariffs_valid_between(DAY, DAY)).price(service.pk, HouseholdFactory(), DAY, service_name=service.name)
