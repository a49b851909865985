"""The town's Django admin, for its staff (gestionnaires), at `/<ville>/gestion/admin/`."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class TownAdminSite(admin.AdminSite):
    site_header = _("Portail Famille – gestion")
    site_title = _("Gestion du portail")
    index_title = _("Administration de la ville")

    def has_permission(self, request):
        return getattr(request, "town", None) is not None and request.user.is_active and request.user.is_staff


town_admin_site = TownAdminSite(name="town_admin")
