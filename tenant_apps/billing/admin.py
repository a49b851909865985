"""The town's admin for billing. Every write goes through billing's services:

- tariffs are read-only here, with a link to the staff screen (Gestion › Facturation ›
  Tarifs) where they are created, edited and closed: a tariff and its QF brackets are
  checked together (contiguous brackets, no overlapping validity, a billed tariff only
  closed), which the admin's separate save of a model and its inlines cannot do in one call;
- billing rules are edited here through `billing_settings_update` (its checks run in the form);
- invoices are read-only (an issued invoice is cancelled by a credit note, never deleted).
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tenant_apps.core.admin_site import TownSettingsAdmin, town_admin_site
from tenants.errors import DomainError

from . import services
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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TariffBracketInline(admin.TabularInline):
    model = TariffBracket
    fields = readonly_fields = ("qf_min", "qf_max", "price")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Tariff, site=town_admin_site)
class TariffAdmin(ReadOnlyAdmin):
    list_display = ["service", "label", "period", "prices", "edit_link"]
    list_filter = ["mode", "service"]
    search_fields = ["label", "service__name"]
    fields = readonly_fields = ("service", "label", "valid_from", "valid_until", "mode", "unit_price", "edit_link")
    inlines = [TariffBracketInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("service").prefetch_related("brackets")

    @admin.display(description=_("validité"))
    def period(self, tariff):
        return tariff.period_label

    @admin.display(description=_("prix"))
    def prices(self, tariff):
        return tariff.prices_label

    @admin.display(description=_("modifier"))
    def edit_link(self, tariff):
        return format_html('<a href="{}">{}</a>', reverse("billing_staff:tariff_edit", args=[tariff.pk]),
                           _("Modifier ou clôturer dans Gestion › Tarifs"))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "title": _("Tarifs (consultation : création et modification "
                                                             "dans Gestion › Facturation › Tarifs)")}
        return super().changelist_view(request, extra_context)


class BillingSettingsAdminForm(forms.ModelForm):
    class Meta:
        model = BillingSettings
        fields = ["bill_unjustified_absences", "bill_unbooked_attendance", "unbooked_surcharge_percent",
                  "payment_due_days", "collection_office"]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        try:
            services.billing_settings_check(**data)
        except DomainError as error:
            field = getattr(error, "field", None)
            self.add_error(field if field in self.fields else None, error.message)
        return data


@admin.register(BillingSettings, site=town_admin_site)
class BillingSettingsAdmin(TownSettingsAdmin):
    form = BillingSettingsAdminForm
    list_display = ["__str__", "bill_unjustified_absences", "bill_unbooked_attendance", "unbooked_surcharge_percent",
                    "payment_due_days"]

    def settings_update(self, **values):
        return services.billing_settings_update(**values)


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    fields = readonly_fields = ("child_name", "service_name", "quantity", "unit_price", "amount")
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
