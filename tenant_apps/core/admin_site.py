"""The town's Django admin, for its staff (gestionnaires), at `/<ville>/gestion/admin/`."""

from django.contrib import admin


class TownAdminSite(admin.AdminSite):
    site_header = "Portail Famille – gestion"
    site_title = "Gestion du portail"
    index_title = "Administration de la ville"

    def has_permission(self, request):
        return getattr(request, "town", None) is not None and request.user.is_active and request.user.is_staff


town_admin_site = TownAdminSite(name="town_admin")
