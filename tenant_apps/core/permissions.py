"""Who may open the staff pages, and where an account lands after signing in."""

from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import ObjectDoesNotExist


def _is_town_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


staff_required = user_passes_test(_is_town_staff)

# Set on the request's user by a read that found the user's household without loading the guardian
# row (`families.selectors.household_and_children_of`): the navigation need not ask again.
HOUSEHOLD_KNOWN = "_household_known"


def household_known(user) -> None:
    setattr(user, HOUSEHOLD_KNOWN, True)


def has_household(user) -> bool:
    """Whether the account is a guardian of a household (a parent, or a gestionnaire who is one too).

    Reads the `guardian` reverse relation: Django caches the answer (also "none") on the user
    object, so the navigation and the view ask the database once per request.
    """
    if not user.is_authenticated:
        return False
    if getattr(user, HOUSEHOLD_KNOWN, False):
        return True
    try:
        user.guardian  # noqa: B018 - the lookup is the question
    except ObjectDoesNotExist:
        return False
    return True


def is_staff_only(user) -> bool:
    """A gestionnaire with no family of their own: their home is the staff dashboard."""
    return _is_town_staff(user) and not has_household(user)
