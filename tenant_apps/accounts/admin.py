"""Accounts in the town's admin (`/<ville>/gestion/admin/`): search, e-mail a password link,
ask for a login e-mail change, and the record of login changes."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tenant_apps.core.admin_site import town_admin_site
from tenants.errors import DomainError

from . import email_change, services
from .models import EmailChangeRequest, User


class UserAdminForm(forms.ModelForm):
    new_email = forms.EmailField(
        label=_("nouvelle adresse e-mail de connexion"), required=False,
        help_text=_("Un lien de confirmation, valable 24 heures, est envoyé à cette adresse : le compte se "
                    "connecte avec elle une fois le lien ouvert, et l'ancienne adresse en est prévenue."),
    )

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "is_active", "is_staff"]

    def clean_new_email(self):
        new_email = self.cleaned_data.get("new_email")
        if not new_email or self.instance.pk is None:
            return ""
        try:
            return email_change.email_change_validate(user=self.instance, new_email=new_email)
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from None


@admin.register(User, site=town_admin_site)
class UserAdmin(admin.ModelAdmin):
    form = UserAdminForm
    list_display = ["email", "last_name", "first_name", "is_staff", "is_active", "last_login", "has_password"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]
    readonly_fields = ["date_joined", "last_login", "password_changed_at"]
    actions = ["send_password_link"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "first_name", "last_name", "is_active", "is_staff"]
        # The login changes only once the new address confirms: never by editing it here.
        return ["email", "new_email", "first_name", "last_name", "is_active", "is_staff", "date_joined",
                "last_login", "password_changed_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "email"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        new_email = form.cleaned_data.get("new_email")
        if change and new_email:
            email_change.email_change_request(user=obj, new_email=new_email, requested_by=request.user)
            messages.info(request, _("Un lien de confirmation a été envoyé à %(email)s : le compte se connectera "
                                     "avec cette adresse une fois le lien ouvert.") % {"email": new_email})

    @admin.display(boolean=True, description=_("mot de passe créé"))
    def has_password(self, user):
        return user.has_usable_password()

    @admin.action(description=_("Envoyer un lien de création de mot de passe"))
    def send_password_link(self, request, queryset):
        with transaction.atomic():
            for user in queryset.filter(is_active=True):
                services.password_reset_request(email=user.email)
        messages.success(request, _("Un lien valable 24 heures a été envoyé aux comptes actifs sélectionnés."))


@admin.register(EmailChangeRequest, site=town_admin_site)
class EmailChangeRequestAdmin(admin.ModelAdmin):
    """Who asked which login change, and whether the new address confirmed it: read only."""

    list_display = ["created_at", "old_email", "new_email", "requested_by", "confirmed_at", "voided_at"]
    search_fields = ["old_email", "new_email", "user__email", "requested_by__email"]
    date_hierarchy = "created_at"
    fields = readonly_fields = ("user", "old_email", "new_email", "requested_by", "created_at", "expires_at",
                                "confirmed_at", "voided_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
