"""Who a staff group message goes to: the town's households in a group, and the group's French
description (kept on the GroupMessage). Groups of apps messaging cannot import (billing's "unpaid
invoice") come from the registry in tenant_apps.core.audiences."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenant_apps.catalog.models import Enrolment, Service
from tenant_apps.core import audiences as registry
from tenant_apps.core.clock import school_year_of, town_today
from tenant_apps.families.models import Household, SchoolPlacement

from .errors import EmptyAudience, UnknownAudience

BUILT_IN = (
    ("all", gettext_lazy("Toutes les familles")),
    ("services", gettext_lazy("Familles inscrites à des prestations")),
    ("school", gettext_lazy("Familles d'une école")),
    ("class", gettext_lazy("Familles d'une classe")),
)


@dataclass(frozen=True)
class Recipients:
    household_ids: list[int]
    description: str


def choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in BUILT_IN] + [(a.code, str(a.label)) for a in registry.registered()]


def schools() -> list[str]:
    year = school_year_of(town_today())
    return list(SchoolPlacement.objects.filter(school_year=year).order_by("school")
                .values_list("school", flat=True).distinct())


def school_classes() -> list[tuple[str, str]]:
    """(school, class) pairs of this school year."""
    year = school_year_of(town_today())
    return list(SchoolPlacement.objects.filter(school_year=year).exclude(school_class="")
                .order_by("school", "school_class").values_list("school", "school_class").distinct())


def _placed(**filters: str) -> Iterable[int]:
    year = school_year_of(town_today())
    return SchoolPlacement.objects.filter(school_year=year, **filters).values_list("child__household_id", flat=True)


def recipients(*, code: str, service_ids: Sequence[int] = (), school: str = "", school_class: str = "") -> Recipients:
    """The households of a group (sorted ids, each once) and its description; refuses an empty group."""
    ids: Iterable[int]
    if code == "all":
        ids, description = Household.objects.values_list("pk", flat=True), _("Toutes les familles")
    elif code == "services":
        chosen = list(Service.objects.filter(pk__in=service_ids).order_by("position", "name"))
        if not chosen:
            raise UnknownAudience()
        year = school_year_of(town_today())
        ids = Enrolment.objects.filter(service__in=chosen, school_year=year).values_list("child__household_id", flat=True)
        description = _("Familles inscrites à : %(services)s (%(year)s)") % {
            "services": ", ".join(s.name for s in chosen), "year": year}
    elif code == "school" and school:
        ids, description = _placed(school=school), _("Familles de l'école %(school)s") % {"school": school}
    elif code == "class" and school and school_class:
        ids = _placed(school=school, school_class=school_class)
        description = _("Familles de la classe %(school_class)s (%(school)s)") % {
            "school_class": school_class, "school": school}
    elif (audience := registry.get(code)) is not None:
        ids, description = audience.household_ids(), str(audience.label)
    else:
        raise UnknownAudience()
    # Only households of this town (the ids come from its own schema) and each once.
    unique = sorted(set(Household.objects.filter(pk__in=list(set(ids))).values_list("pk", flat=True)))
    if not unique:
        raise EmptyAudience()
    return Recipients(unique, description)
