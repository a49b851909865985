"""Reads scoped to the caller: a parent's queries start from their household."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor
from tenant_apps.core.permissions import household_known

from .fields import BY_KEY, CATEGORY_TITLES, FieldSpec
from .models import Child, ChildDocument, FieldChange, Guardian, Household

if TYPE_CHECKING:
    from .services import Policy

Record = Household | Guardian | Child  # what a field key belongs to


def household_of(user: Actor) -> Household:
    """The signed-in guardian's household; 404 for anyone who is not a guardian."""
    guardian = _guardian_of(user) if user is not None and user.is_authenticated else None
    if guardian is None:
        raise Http404(_("Aucun foyer n'est associé à ce compte."))
    return guardian.household


def _guardian_of(user: Any) -> Guardian | None:
    """`user.guardian` with its household in one query, cached on the user as Django caches it."""
    cache = user._state.fields_cache
    if "guardian" not in cache:
        guardian = Guardian.objects.select_related("household").filter(user=user).first()
        cache["guardian"] = guardian
        if guardian is not None:
            guardian._state.fields_cache["user"] = user
    return cache["guardian"]


def children_of(household: Household) -> QuerySet[Child]:
    return Child.objects.filter(household=household).order_by("first_name")


def household_and_children_of(user: Actor) -> tuple[Household, list[Child]]:
    """The signed-in guardian's household and its children (`children_of`'s order) in one query when the
    household has children; 404 for anyone who is not a guardian, as `household_of`."""
    if user is not None and user.is_authenticated:
        children = list(Child.objects.filter(household__guardians__user=user).select_related("household")
                        .order_by("first_name"))
        if children:
            household = children[0].household
            for child in children:
                child.household = household
            household_known(user)  # the navigation's question, answered
            return household, children
    household = household_of(user)
    return household, list(children_of(household))


def child_of(household: Household, child_id: int) -> Child:
    """A child of this household, or 404 (an id of another family answers 404)."""
    child = children_of(household).filter(pk=child_id).first()
    if child is None:
        raise Http404(_("Enfant introuvable."))
    return child


def guardians_of(household: Household) -> QuerySet[Guardian]:
    return Guardian.objects.filter(household=household).order_by("pk")


def guardian_of(household: Household, guardian_id: int) -> Guardian:
    guardian = guardians_of(household).filter(pk=guardian_id).first()
    if guardian is None:
        raise Http404(_("Responsable introuvable."))
    return guardian


def document_of(household: Household, child_id: int, document_id: int) -> ChildDocument:
    document = ChildDocument.objects.filter(child__household=household, child_id=child_id, pk=document_id).first()
    if document is None:
        raise Http404(_("Document introuvable."))
    return document


def record_object(household: Household, key: str, object_id: int) -> Record:
    """The object of `household` that field `key` belongs to (household, guardian or child), or 404."""
    spec = BY_KEY.get(key)
    if spec is None or spec.is_collection:
        raise Http404(_("Champ inconnu."))
    if spec.scope == "household":
        if object_id != household.pk:
            raise Http404(_("Foyer introuvable."))
        return household
    if spec.scope == "guardian":
        return guardian_of(household, object_id)
    return child_of(household, object_id)


def field_rows(obj: Record, keys: Iterable[str], policies: Mapping[str, Policy]) -> list[dict[str, Any]]:
    """What the page shows for each field: label, value, whether the pencil is offered."""
    rows: list[dict[str, Any]] = []
    for key in keys:
        spec: FieldSpec = BY_KEY[key]
        rows.append({"spec": spec, "key": key, "obj": obj, "value": spec.display(obj),
                     "editable": policies[key].editable_by_parents})
    return rows


def categories(obj: Record, category_slugs: Iterable[str],
               policies: Mapping[str, Policy]) -> list[dict[str, Any]]:
    out = []
    for slug in category_slugs:
        keys = [s.key for s in BY_KEY.values() if s.category == slug and not s.is_collection
                and s.scope == _scope(obj)]
        out.append({"slug": slug, "title": CATEGORY_TITLES[slug], "rows": field_rows(obj, keys, policies)})
    return out


def _scope(obj: Record) -> str:
    return {Household: "household", Guardian: "guardian", Child: "child"}[type(obj)]


# --- Staff reads -----------------------------------------------------------------------------


def households_search(query: str = "") -> QuerySet[Household]:
    qs = Household.objects.annotate(child_count=Count("children", distinct=True)).prefetch_related("guardians")
    query = (query or "").strip()
    if query:
        qs = qs.filter(
            Q(name__icontains=query) | Q(city__icontains=query) | Q(external_ref__iexact=query)
            | Q(guardians__last_name__icontains=query) | Q(guardians__first_name__icontains=query)
            | Q(guardians__email__icontains=query) | Q(children__first_name__icontains=query)
            | Q(children__last_name__icontains=query)
        ).distinct()
    return qs.order_by("name")


def audit_trail(household: Household | None = None) -> QuerySet[FieldChange]:
    qs = FieldChange.objects.select_related("household", "changed_by")
    if household is not None:
        qs = qs.filter(household=household)
    return qs


def child_enrolments(child: Child, school_year: str) -> QuerySet[Any]:
    """The child's enrolments (inscriptions) of a school year, in the grid's order.

    Read through the child's reverse relation, so the family record needs nothing from the catalogue app.
    """
    return (child.enrolments.filter(school_year=school_year).select_related("service")
            .order_by("service__position", "service__name"))
