from django.utils.functional import SimpleLazyObject

from tenant_apps.core.models import TownProfile


def town_profile(request):
    """The town's profile, read only by a template that shows it (an htmx cell does not)."""
    if getattr(request, "town", None) is None:
        return {}
    return {"town_profile": SimpleLazyObject(TownProfile.cached)}
