"""`/ops/`: the operators' console, the public schema's admin (towns, their status and URL)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tenants.models import Town, TownSlugRedirect


class OpsAdminSite(admin.AdminSite):
    site_header = _("Portail Famille – console des opérateurs")
    site_title = _("Console des opérateurs")
    index_title = _("Villes et plateforme")

    def has_permission(self, request):
        return request.town is None and super().has_permission(request)


ops_site = OpsAdminSite(name="ops")


@admin.register(Town, site=ops_site)
class TownAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "portal_link", "schema", "school_zone", "status", "created_at"]
    list_filter = ["status", "school_zone"]
    search_fields = ["name", "slug", "schema_name", "insee_code"]
    readonly_fields = ["schema", "slug", "status", "created_at", "updated_at", "archived_at"]
    fields = ["name", "slug", "schema", "insee_code", "school_zone", "time_zone", "status",
              "created_at", "updated_at", "archived_at"]

    @admin.display(description=_("Schéma PostgreSQL"), ordering="schema_name")
    def schema(self, town):
        return town.schema_name

    @admin.display(description=_("Adresse du portail"))
    def portal_link(self, town):
        return format_html('<a href="{}">{}</a>', town.url_path, town.url_path)

    def has_add_permission(self, request):
        # Towns are created by the provisioning command, which clones the schema atomically.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TownSlugRedirect, site=ops_site)
class TownSlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "town", "created_at"]
    search_fields = ["old_slug", "town__name"]


@admin.register(get_user_model(), site=ops_site)
class OperatorAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
