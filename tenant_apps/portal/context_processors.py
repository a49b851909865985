from tenant_apps.core.models import TownProfile


def town_profile(request):
    if getattr(request, "town", None) is None:
        return {}
    return {"town_profile": TownProfile.cached()}
