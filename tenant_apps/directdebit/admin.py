"""The town's admin for direct debit: the creditor settings (through the services' checks),
mandates, files and debits to read (writes go through the staff screens, Gestion › Prélèvements)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tenant_apps.core.admin_site import TownSettingsAdmin, town_admin_site
from tenants.errors import DomainError

from . import services
from .models import Debit, DebitExport, DirectDebitSettings, Mandate, MandateAmendment

SETTINGS_FIELDS = ["enabled", "creditor_id", "creditor_name", "creditor_iban", "creditor_bic", "collection_rule",
                   "collection_day", "rejection_fee", "suspend_after_rejects"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DirectDebitSettingsAdminForm(forms.ModelForm):
    class Meta:
        model = DirectDebitSettings
        fields = SETTINGS_FIELDS

    def clean(self):
        super().clean()
        if not self.errors:
            try:
                services.direct_debit_settings_check(**self.cleaned_data)
            except DomainError as error:
                self.add_error(None, error.message)
        return self.cleaned_data


@admin.register(DirectDebitSettings, site=town_admin_site)
class DirectDebitSettingsAdmin(TownSettingsAdmin):
    form = DirectDebitSettingsAdminForm
    list_display = ["__str__", "enabled", "creditor_id", "creditor_name", "collection_rule", "collection_day"]

    def settings_update(self, **values):
        return services.direct_debit_settings_update(**values)


class AmendmentInline(admin.TabularInline):
    model = MandateAmendment
    fields = readonly_fields = ("created_at", "original_iban_masked", "original_bic", "new_iban_masked", "reported_in")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Mandate, site=town_admin_site)
class MandateAdmin(ReadOnlyAdmin):
    list_display = ["rum", "household", "status", "iban_masked", "sequence", "signed_on", "rejects"]
    list_filter = ["status", "sequence"]
    search_fields = ["rum", "household__name", "debtor_name"]
    exclude = ["iban_encrypted"]
    inlines = [AmendmentInline]


@admin.register(DebitExport, site=town_admin_site)
class DebitExportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "created_by", "run", "count", "total", "collection_date", "checksum"]
    exclude = ["content"]


@admin.register(Debit, site=town_admin_site)
class DebitAdmin(ReadOnlyAdmin):
    list_display = ["end_to_end_id", "invoice", "mandate", "amount", "sequence", "collection_date", "status",
                    "reject_reason"]
    list_filter = ["status", "sequence", "reject_reason"]
    search_fields = ["end_to_end_id", "invoice__number", "mandate__rum"]
    verbose_name = _("prélèvement")
