"""Parents' pages of the portal that belong to no other app: home page (welcome text and
dashboard), the town's logo, 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tenant_apps.core import files
from tenant_apps.core.clock import town_today
from tenant_apps.core.models import TownProfile
from tenant_apps.core.permissions import is_staff_only
from tenant_apps.core.services import LOGO_FOLDER
from tenant_apps.families.selectors import household_of
from tenant_apps.messaging.selectors import current_notices

from .selectors import dashboard_for


@login_required
def home(request):
    if is_staff_only(request.user):
        return redirect("backoffice:home")  # the parents' home has nothing for them
    try:
        household = household_of(request.user)
    except Http404:
        household = None  # an account with no household (yet): welcome text only
    dashboard = dashboard_for(household, town_today()) if household else None
    return render(request, "portal/home.html", {"dashboard": dashboard, "notices": list(current_notices()[:5])})


def logo(request):
    profile = TownProfile.current()
    if profile is None or not profile.logo:
        raise Http404(_("Pas de logo."))
    return files.serve(profile.logo.name, folder=LOGO_FOLDER, filename="logo")


def not_found(request, exception=None):
    if request.path_info.startswith("/api/"):
        # API clients get the API's error shape, not the portal's HTML page.
        return JsonResponse({"code": "not_found", "detail": _("Adresse inconnue.")}, status=404)
    return render(request, "portal/not_found.html", status=404)
