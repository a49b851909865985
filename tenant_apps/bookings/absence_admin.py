"""The town admin of absences: the town's certificate delay, each service's waiting days, and the
declarations (read only: staff decide from the "Absences déclarées" screen, which applies the rule)."""

from django.contrib import admin

from tenant_apps.core.admin_site import town_admin_site

from .models import Absence, AbsenceSettings, ServiceAbsenceRule


@admin.register(AbsenceSettings, site=town_admin_site)
class AbsenceSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "certificate_days"]

    def has_add_permission(self, request):
        return not AbsenceSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceAbsenceRule, site=town_admin_site)
class ServiceAbsenceRuleAdmin(admin.ModelAdmin):
    list_display = ["service", "waiting_days"]


@admin.register(Absence, site=town_admin_site)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["child", "start", "end", "reason", "status", "certificate_due"]
    list_filter = ["status", "reason"]
    search_fields = ["child__first_name", "child__last_name"]
    readonly_fields = ["child", "start", "end", "reason", "comment", "certificate", "certificate_name",
                       "certificate_due", "status", "declared_by", "declared_at", "decided_by", "decided_at",
                       "decision_note"]

    def has_add_permission(self, request):
        return False
