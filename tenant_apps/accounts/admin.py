"""Accounts in the town's admin (`/<ville>/gestion/admin/`): search, and e-mail a password link."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tenant_apps.core.admin_site import town_admin_site

from . import services
from .models import User


@admin.register(User, site=town_admin_site)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "last_name", "first_name", "is_staff", "is_active", "last_login", "has_password"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]
    fields = ["email", "first_name", "last_name", "is_active", "is_staff", "date_joined", "last_login",
              "password_changed_at"]
    readonly_fields = ["date_joined", "last_login", "password_changed_at"]
    actions = ["send_password_link"]

    @admin.display(boolean=True, description=_("mot de passe créé"))
    def has_password(self, user):
        return user.has_usable_password()

    @admin.action(description=_("Envoyer un lien de création de mot de passe"))
    def send_password_link(self, request, queryset):
        with transaction.atomic():
            for user in queryset.filter(is_active=True):
                services.password_reset_request(email=user.email)
        messages.success(request, _("Un lien valable 24 heures a été envoyé aux comptes actifs sélectionnés."))
