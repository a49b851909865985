"""The town's Django admin, for its staff (gestionnaires), at `/<ville>/gestion/admin/`."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _


class TownAdminSite(admin.AdminSite):
    site_header = _("Portail Famille – gestion")
    site_title = _("Gestion du portail")
    index_title = _("Administration de la ville")

    def has_permission(self, request):
        return getattr(request, "town", None) is not None and request.user.is_active and request.user.is_staff


town_admin_site = TownAdminSite(name="town_admin")


class TownSettingsAdmin(admin.ModelAdmin):
    """The admin of a town's one-row settings (billing rules, direct debit…): added once, never
    deleted, saved through the app's service (`settings_update`, called with the form's values),
    as the staff screen saves it."""

    def settings_update(self, **values) -> models.Model:
        raise NotImplementedError

    def has_add_permission(self, request):
        return not self.model._default_manager.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = self.settings_update(**form.cleaned_data)
        obj.pk = saved.pk
