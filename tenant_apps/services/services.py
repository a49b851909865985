"""Writes of the services app: services and their rules, closure days, enrolments (staff only)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError

from .models import ClosureDay, Enrolment, Service, ServiceDate, ServicePeriod


class AlreadyEnrolled(DomainError):
    code = "already_enrolled"
    default_message = _("Cet enfant est déjà inscrit à cette prestation pour cette année scolaire.")


class InvalidSchoolYear(DomainError):
    code = "invalid_school_year"
    default_message = _("Année scolaire invalide (ex. 2026-2027).")


@transaction.atomic
def service_save(*, service: Service) -> Service:
    """Create or update a service from a validated form instance (rules checked by `clean()`)."""
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def closure_day_add(*, date: dt.date, reason: str, service: Service | None = None) -> ClosureDay:
    """Close the town (or one service) on `date`. Existing bookings stay, and parents may cancel them."""
    return ClosureDay.objects.create(date=date, reason=reason, service=service)


@transaction.atomic
def closure_day_remove(*, closure: ClosureDay) -> None:
    closure.delete()


def validate_school_year(value: str) -> str:
    try:
        first, second = (int(part) for part in value.split("-"))
    except ValueError:
        raise InvalidSchoolYear() from None
    if second != first + 1 or not 2000 <= first <= 2100:
        raise InvalidSchoolYear()
    return value


@transaction.atomic
def enrolment_add(*, child, service: Service, school_year: str) -> Enrolment:
    validate_school_year(school_year)
    try:
        with transaction.atomic():
            return Enrolment.objects.create(child=child, service=service, school_year=school_year)
    except IntegrityError:
        raise AlreadyEnrolled() from None


@transaction.atomic
def enrolment_remove(*, enrolment: Enrolment) -> None:
    """Existing bookings stay; the child simply cannot book new days."""
    enrolment.delete()


class InvalidPeriod(DomainError):
    code = "invalid_period"
    default_message = _("La fin de la période doit suivre son début.")


@transaction.atomic
def service_period_add(*, service: Service, label: str, start: dt.date, end: dt.date,
                       closes_at: dt.datetime) -> ServicePeriod:
    """A period whose bookings all close at one fixed moment (used by "date de clôture fixe" services)."""
    if end < start:
        raise InvalidPeriod()
    return ServicePeriod.objects.create(service=service, label=label, start=start, end=end, closes_at=closes_at)


@transaction.atomic
def service_period_remove(*, period: ServicePeriod) -> None:
    period.delete()


@transaction.atomic
def service_date_add(*, service: Service, date: dt.date) -> ServiceDate:
    return ServiceDate.objects.get_or_create(service=service, date=date)[0]


@transaction.atomic
def service_date_remove(*, service_date: ServiceDate) -> None:
    service_date.delete()
