"""Reads scoped to the caller: a parent's queries start from their household."""

from django.http import Http404

from .models import Child, Household


def household_of(user) -> Household:
    """The signed-in guardian's household; 404 for anyone who is not a guardian."""
    guardian = getattr(user, "guardian", None) if user.is_authenticated else None
    if guardian is None:
        raise Http404("Aucun foyer n'est associé à ce compte.")
    return guardian.household


def children_of(household: Household):
    return Child.objects.filter(household=household).order_by("first_name")


def child_of(household: Household, child_id: int) -> Child:
    """A child of this household, or 404 (an id of another family answers 404)."""
    child = children_of(household).filter(pk=child_id).first()
    if child is None:
        raise Http404("Enfant introuvable.")
    return child
