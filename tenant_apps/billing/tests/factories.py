"""Factories of billing: tariffs (flat, or by family quotient brackets). Families, services and
bookings come from their own apps' factories."""

import datetime as dt
from decimal import Decimal

import factory

from tenant_apps.catalog.tests.factories import ServiceFactory

from ..models import Tariff, TariffBracket


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff

    service = factory.SubFactory(ServiceFactory)
    valid_from = dt.date(2018, 9, 1)
    mode = Tariff.Mode.FLAT
    unit_price = Decimal("3.30")


def qf_tariff(service, brackets, *, valid_from=dt.date(2019, 1, 1), valid_until=None) -> Tariff:
    """brackets: [(qf_min, qf_max or None, "price"), …]"""
    tariff = Tariff.objects.create(service=service, valid_from=valid_from, valid_until=valid_until,
                                   mode=Tariff.Mode.FAMILY_QUOTIENT)
    for qf_min, qf_max, price in brackets:
        TariffBracket.objects.create(tariff=tariff, qf_min=qf_min, qf_max=qf_max, price=Decimal(price))
    return tariff
