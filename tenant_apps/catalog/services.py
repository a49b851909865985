"""Writes of the services app: services and their rules, closure days, enrolments (staff only)."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from tenant_apps.accounts.actors import Actor
from tenant_apps.core.errors import InvalidPeriod
from tenant_apps.families.models import Child

from .errors import (
    AlreadyEnrolled,
    InvalidEnrolmentRequest,
    InvalidRenewal,
    InvalidSchoolYear,
    StaffOnly,
)
from .models import ClosureDay, Enrolment, Service, ServiceDate, ServicePeriod


@transaction.atomic
def service_save(*, service: Service) -> Service:
    """Create or update a service from a validated form instance (rules checked by `clean()`)."""
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def closure_day_add(*, date: dt.date, reason: str, service: Service | None = None) -> ClosureDay:
    """Close the town (or one service) on `date`, nothing more.

    Staff close days through `bookings.closures.closure_apply`, which also cancels the bookings of
    those days; this is its building block (and the admin's).
    """
    return ClosureDay.objects.create(date=date, reason=reason, service=service)


@transaction.atomic
def closure_days_add(*, days: Iterable[dt.date], reason: str, services: Iterable[Service] = ()) -> list[ClosureDay]:
    """One closure row per day and chosen service (one per day for the whole town when none is chosen);
    a day already closed for the same scope is not recorded twice."""
    scopes: list[Service | None] = list(services) or [None]
    wanted = [(day, scope) for day in days for scope in scopes]
    existing = set(ClosureDay.objects.filter(date__in={day for day, _scope in wanted})
                   .values_list("date", "service_id"))
    return ClosureDay.objects.bulk_create([
        ClosureDay(date=day, reason=reason, service=scope) for day, scope in wanted
        if (day, scope.pk if scope else None) not in existing
    ])


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
def enrolment_add(*, child: Child, service: Service, school_year: str) -> Enrolment:
    validate_school_year(school_year)
    try:
        with transaction.atomic():
            return Enrolment.objects.create(child=child, service=service, school_year=school_year)
    except IntegrityError:
        raise AlreadyEnrolled() from None


def require_staff(actor: Actor) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_staff):
        raise StaffOnly()


@dataclass
class EnrolmentReport:
    """What a mass enrolment or a renewal did: the enrolments created and the pairs already enrolled."""

    school_year: str
    created: list[Enrolment] = field(default_factory=list)
    already_enrolled: list[tuple[int, int]] = field(default_factory=list)  # (child id, service id)
    services: list[Service] = field(default_factory=list)

    @property
    def created_count(self) -> int:
        return len(self.created)

    @property
    def already_enrolled_count(self) -> int:
        return len(self.already_enrolled)

    def per_service(self) -> list[tuple[Service, int, int]]:
        """[(service, created, already enrolled)] in the grid's order."""
        created = Counter(e.service_id for e in self.created)
        already = Counter(service_id for _child_id, service_id in self.already_enrolled)
        return [(s, created[s.pk], already[s.pk]) for s in self.services]

    def summary(self) -> str:
        """The confirmation staff read: "12 inscriptions créées, 3 enfants déjà inscrits (inchangés)."."""
        text = ngettext("%(n)d inscription créée", "%(n)d inscriptions créées", self.created_count) % {
            "n": self.created_count}
        if self.already_enrolled:
            text += ", " + ngettext("%(n)d déjà existante (inchangée)", "%(n)d déjà existantes (inchangées)",
                                    self.already_enrolled_count) % {"n": self.already_enrolled_count}
        return gettext("%(text)s pour %(year)s.") % {"text": text, "year": self.school_year}


def _insert_missing(pairs: list[tuple[int, int]], school_year: str) -> list[Enrolment]:
    """Insert the (child id, service id) enrolments that do not exist yet; return those really inserted.

    One statement, exact under concurrency: a pair another gestionnaire enrolled meanwhile is skipped
    by the unique constraint and reported as already enrolled, never as created.
    """
    if not pairs:
        return []
    table = connection.ops.quote_name(Enrolment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (child_id, service_id, school_year, created_at)"  # noqa: S608 - table name only
            " SELECT c, s, %s, %s FROM unnest(%s::bigint[], %s::bigint[]) AS pair(c, s)"
            " ON CONFLICT (child_id, service_id, school_year) DO NOTHING"
            " RETURNING id, child_id, service_id",
            [school_year, timezone.now(), [c for c, _s in pairs], [s for _c, s in pairs]],
        )
        rows = cursor.fetchall()
    return [Enrolment(pk=pk, child_id=child_id, service_id=service_id, school_year=school_year)
            for pk, child_id, service_id in rows]


def _enrol_pairs(pairs: Iterable[tuple[int, int]], school_year: str, services: list[Service]) -> EnrolmentReport:
    wanted = list(dict.fromkeys(pairs))  # unique, in order
    created = _insert_missing(wanted, school_year)
    done = {(e.child_id, e.service_id) for e in created}
    return EnrolmentReport(school_year=school_year, created=created, services=services,
                           already_enrolled=[pair for pair in wanted if pair not in done])


@transaction.atomic
def enrolments_bulk_create(*, children: Iterable[Child], services: Iterable[Service], school_year: str,
                           actor: Actor) -> EnrolmentReport:
    """Enrol every child in every service for `school_year`; those already enrolled are skipped and reported."""
    require_staff(actor)
    validate_school_year(school_year)
    child_ids = list(dict.fromkeys(child.pk for child in children))
    services = sorted(dict.fromkeys(services), key=lambda s: (s.position, s.name))
    if not child_ids or not services:
        raise InvalidEnrolmentRequest()
    return _enrol_pairs(((c, s.pk) for c in child_ids for s in services), school_year, services)


def validate_renewal(from_year: str, to_year: str) -> None:
    validate_school_year(from_year)
    validate_school_year(to_year)
    if int(to_year[:4]) <= int(from_year[:4]):
        raise InvalidRenewal()


def renewal_source(*, from_year: str, services: Iterable[Service] | None = None) -> QuerySet[Enrolment]:
    """The enrolments of `from_year` a renewal copies: those of the chosen (default: active) services."""
    enrolments = Enrolment.objects.filter(school_year=from_year)
    if services is None:
        return enrolments.filter(service__is_active=True)
    return enrolments.filter(service__in=list(services))


@transaction.atomic
def enrolments_renew(*, from_year: str, to_year: str, services: Iterable[Service] | None = None,
                     actor: Actor) -> EnrolmentReport:
    """Copy the enrolments of `from_year` into `to_year` (reconduction); existing ones are skipped and reported.

    Every child of the town is current (families who left are deleted), so every enrolment is renewed.
    """
    require_staff(actor)
    validate_renewal(from_year, to_year)
    source = renewal_source(from_year=from_year, services=services)
    pairs = list(source.order_by("service__position", "child__last_name", "child__first_name")
                 .values_list("child_id", "service_id"))
    chosen = list(services) if services is not None else list(
        Service.objects.filter(pk__in={s for _c, s in pairs}))
    chosen.sort(key=lambda s: (s.position, s.name))
    return _enrol_pairs(pairs, to_year, chosen)


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
