"""Factories of services and of the minimal family records bookings need."""

import datetime as dt

import factory

from tenant_apps.catalog.models import ClosureDay, Enrolment, Service, school_year_of
from tenant_apps.families.models import Child, Guardian, Household


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"FAMILLE{n}")


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    household = factory.SubFactory(HouseholdFactory)
    first_name = factory.Sequence(lambda n: f"Enfant{n}")
    last_name = factory.LazyAttribute(lambda o: o.household.name)
    birth_date = dt.date(2018, 5, 4)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.User"
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"parent{n}@example.test")
    password = factory.django.Password("Tartine-2-Confiture")


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    household = factory.SubFactory(HouseholdFactory)
    user = factory.SubFactory(UserFactory)
    first_name = "Marie"
    last_name = factory.LazyAttribute(lambda o: o.household.name)
    email = factory.LazyAttribute(lambda o: o.user.email)


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
