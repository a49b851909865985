"""Factories of the catalogue: services, enrolments, closure days (families come from
tenant_apps.families.tests.factories)."""

import datetime as dt

import factory

from tenant_apps.catalog.models import ClosureDay, Enrolment, Service, school_year_of

# GuardianFactory and HouseholdFactory: still imported from here by some bookings tests.
from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory, HouseholdFactory  # noqa: F401


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Prestation {n}")
    kind = Service.Kind.CANTEEN
    weekdays = [0, 1, 3, 4]
    calendar = Service.Calendar.EVERY_OPEN_DAY
    deadline_mode = Service.DeadlineMode.SAME_DAY_TIME
    deadline_time = dt.time(8, 30)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    child = factory.SubFactory(ChildFactory)
    service = factory.SubFactory(ServiceFactory)
    school_year = school_year_of(dt.date.today())  # noqa: DTZ011 - a school year label, not a moment


class ClosureDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosureDay

    reason = "Grève"


def enrol(child, service, *years: str):
    for year in years or (school_year_of(dt.date.today()),):  # noqa: DTZ011
        Enrolment.objects.get_or_create(child=child, service=service, school_year=year)
