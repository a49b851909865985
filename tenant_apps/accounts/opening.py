"""While a town is "en préparation", its parents cannot sign in: only its staff use the portal."""

from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tenants.current import current_town

COMING_SOON = _("Le portail famille ouvre bientôt : vous pourrez vous connecter dès son ouverture par la mairie. "
                "Vous pouvez déjà créer votre mot de passe avec le lien reçu par e-mail.")


def portal_open() -> bool:
    """The current town's portal is open to parents (outside a town: True)."""
    town = current_town()
    return town is None or town.is_open


class PortalOpeningMiddleware:
    """A parent signed in a town whose portal is not open yet (a session from before, a password just
    created) sees the "bientôt ouvert" page and is signed out; staff go everywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After URL resolution (not in __call__): the page's links reverse in the town's URLs.
        user = getattr(request, "user", None)
        town = getattr(request, "town", None)
        if (town is not None and not town.is_open and user is not None and user.is_authenticated
                and not user.is_staff):
            logout(request)
            if request.path_info.startswith("/api/"):
                return JsonResponse({"code": "portal_not_open", "detail": str(COMING_SOON)}, status=403)
            return render(request, "accounts/coming_soon.html", status=403)
        return None
