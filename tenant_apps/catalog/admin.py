"""The town admin (staff) for services and closure days (enrolments: tenant_apps/bookings/admin.py,
beside the service that ends them)."""

from django.contrib import admin

from tenant_apps.core.admin_site import town_admin_site

from . import services
from .forms import ServiceForm
from .models import ClosureDay, SchoolHolidayPeriod, Service, ServiceDate, ServicePeriod
from .school_calendar import school_holiday_period_add


class ServiceDateInline(admin.TabularInline):
    model = ServiceDate
    extra = 1


class ServicePeriodInline(admin.TabularInline):
    model = ServicePeriod
    extra = 1


@admin.register(Service, site=town_admin_site)
class ServiceAdmin(admin.ModelAdmin):
    form = ServiceForm
    list_display = ["name", "kind", "weekdays_label", "calendar", "deadline_mode", "deadline_label", "capacity",
                    "position", "is_active"]
    list_filter = ["kind", "calendar", "is_active"]
    list_editable = ["position"]
    search_fields = ["name"]
    inlines = [ServicePeriodInline, ServiceDateInline]

    def save_model(self, request, obj, form, change):
        services.service_save(service=obj)


@admin.register(ClosureDay, site=town_admin_site)
class ClosureDayAdmin(admin.ModelAdmin):
    """Read-only here: closing a day cancels its bookings and tells the families, which only the
    closures screen does (`bookings.closures.closure_apply`)."""

    list_display = ["date", "reason", "service"]
    list_filter = ["service"]
    search_fields = ["reason"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.closure_day_remove(closure=obj)


@admin.register(SchoolHolidayPeriod, site=town_admin_site)
class SchoolHolidayPeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "start", "end")
    ordering = ("start",)

    def has_change_permission(self, request, obj=None):
        return False  # a wrong period is removed and entered again, through the rules below

    def save_model(self, request, obj, form, change):
        # Through the service (its overlap and length rules), like the staff screen
        created = school_holiday_period_add(name=obj.name, start=obj.start, end=obj.end)
        obj.pk = created.pk
