"""Admin of the accounting app: the town's settings and product codes (edited through the same
service as the staff screen), and the export history, read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tenant_apps.core.admin_site import town_admin_site

from . import services
from .models import AccountingSettings, ExportRecord, ServiceAccounting


@admin.register(AccountingSettings, site=town_admin_site)
class AccountingSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "id_post", "id_coll", "cod_col", "cod_bud", "fiscal_year"]
    readonly_fields = ["last_bordereau_number", "updated_at"]

    def has_add_permission(self, request):
        return not AccountingSettings.objects.exists()

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in form.cleaned_data}
        services.accounting_settings_update(values=values, product_codes={})


@admin.register(ServiceAccounting, site=town_admin_site)
class ServiceAccountingAdmin(admin.ModelAdmin):
    list_display = ["service", "cod_prod_loc"]

    def save_model(self, request, obj, form, change):
        services.accounting_settings_update(values={}, product_codes={obj.service_id: obj.cod_prod_loc})


@admin.register(ExportRecord, site=town_admin_site)
class ExportRecordAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "created_by", "invoice_count", "total", "bordereau_number", "reexported"]
    list_filter = ["kind"]
    readonly_fields = [field.name for field in ExportRecord._meta.fields] + ["invoices"]

    @admin.display(description=_("factures déjà exportées"))
    def reexported(self, record):
        return ", ".join(record.already_exported) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
