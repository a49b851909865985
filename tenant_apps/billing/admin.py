"""The town's admin for billing: tariffs and rules are edited here; invoices are read-only
(an issued invoice is cancelled by a credit note, never deleted)."""

from django.contrib import admin

from tenant_apps.backoffice.admin_site import town_admin_site

from .models import (
    BillingSettings,
    CreditNote,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    PaymentTransaction,
    Tariff,
    TariffBracket,
)


class TariffBracketInline(admin.TabularInline):
    model = TariffBracket
    extra = 1


@admin.register(Tariff, site=town_admin_site)
class TariffAdmin(admin.ModelAdmin):
    list_display = ["service", "label", "mode", "unit_price", "valid_from", "valid_until"]
    list_filter = ["mode", "service"]
    search_fields = ["label", "service__name"]
    inlines = [TariffBracketInline]


@admin.register(BillingSettings, site=town_admin_site)
class BillingSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "bill_unjustified_absences", "bill_unbooked_attendance", "unbooked_surcharge_percent",
                    "payment_due_days"]

    def has_add_permission(self, request):
        return not BillingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    fields = ["child_name", "service_name", "quantity", "unit_price", "amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice, site=town_admin_site)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "household", "period_start", "period_end", "total", "amount_paid", "status"]
    list_filter = ["status", "period_start"]
    search_fields = ["number", "household__name", "payer_name"]
    inlines = [InvoiceLineInline]


@admin.register(CreditNote, site=town_admin_site)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "invoice", "amount", "issued_on", "reason"]
    search_fields = ["number", "invoice__number", "reason"]


@admin.register(InvoiceRun, site=town_admin_site)
class InvoiceRunAdmin(ReadOnlyAdmin):
    list_display = ["period_start", "period_end", "status", "households_done", "households_total", "invoices_created"]
    list_filter = ["status"]
    search_fields = ["period_start"]


@admin.register(PaymentTransaction, site=town_admin_site)
class PaymentTransactionAdmin(ReadOnlyAdmin):
    list_display = ["order_id", "invoice", "amount", "status", "needs_review", "created_at"]
    list_filter = ["status", "needs_review", "backend"]
    search_fields = ["order_id", "provider_reference", "invoice__number"]
