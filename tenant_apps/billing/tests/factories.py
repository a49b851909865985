"""Factories of billing tests (families, services and bookings are built directly: their
apps belong to other teams and this keeps the billing tests self-contained)."""

import datetime as dt
from decimal import Decimal

import factory

from tenant_apps.accounts.models import User
from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.models import Service
from tenant_apps.families.models import Child, Guardian, Household

from ..models import Tariff, TariffBracket


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"FOYER {n}")
    address_line = "3 rue des Écoles"
    postcode = "22300"
    city = "Lannion"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"parent{n}@example.org")
    password = factory.django.Password("Tartine-2-Confiture")


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    household = factory.SubFactory(HouseholdFactory)
    user = factory.SubFactory(UserFactory)
    first_name = "Claire"
    last_name = factory.LazyAttribute(lambda g: g.household.name.split()[0])
    email = factory.LazyAttribute(lambda g: g.user.email if g.user else "")
    is_payer = True


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    household = factory.SubFactory(HouseholdFactory)
    first_name = factory.Sequence(lambda n: f"Enfant{n}")
    last_name = factory.LazyAttribute(lambda c: c.household.name.split()[0])
    birth_date = dt.date(2015, 5, 4)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Prestation {n}")
    kind = Service.Kind.CANTEEN
    weekdays = [0, 1, 3, 4]


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff

    service = factory.SubFactory(ServiceFactory)
    valid_from = dt.date(2018, 9, 1)
    mode = Tariff.Mode.FLAT
    unit_price = Decimal("3.30")


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    child = factory.SubFactory(ChildFactory)
    service = factory.SubFactory(ServiceFactory)
    date = dt.date(2019, 4, 1)


def qf_tariff(service, brackets, *, valid_from=dt.date(2019, 1, 1), valid_until=None) -> Tariff:
    """brackets: [(qf_min, qf_max or None, "price"), …]"""
    tariff = Tariff.objects.create(service=service, valid_from=valid_from, valid_until=valid_until,
                                   mode=Tariff.Mode.FAMILY_QUOTIENT)
    for qf_min, qf_max, price in brackets:
        TariffBracket.objects.create(tariff=tariff, qf_min=qf_min, qf_max=qf_max, price=Decimal(price))
    return tariff


def school_days(start: dt.date, end: dt.date, weekdays=(0, 1, 3, 4)) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if day.weekday() in weekdays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def book(child, service, days, **fields) -> list[Booking]:
    return Booking.objects.bulk_create([Booking(child=child, service=service, date=d, **fields) for d in days])
