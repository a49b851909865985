"""The town admin (staff) for services, closure days and enrolments."""

from django.contrib import admin

from tenant_apps.core.admin_site import town_admin_site

from . import services
from .forms import ServiceForm
from .models import ClosureDay, Enrolment, Service, ServiceDate, ServicePeriod


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
    list_display = ["date", "reason", "service"]
    list_filter = ["service"]
    search_fields = ["reason"]
    date_hierarchy = "date"


@admin.register(Enrolment, site=town_admin_site)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["child", "service", "school_year"]
    list_filter = ["school_year", "service"]
    search_fields = ["child__last_name", "child__first_name", "child__household__name"]
    raw_id_fields = ["child"]
    list_select_related = ["child", "service"]

    def save_model(self, request, obj, form, change):
        if change:  # a correction of the school year or service: the form checked uniqueness
            obj.save()
        else:
            created = services.enrolment_add(child=obj.child, service=obj.service, school_year=obj.school_year)
            obj.pk, obj.created_at = created.pk, created.created_at

    def has_delete_permission(self, request, obj=None):
        # Ending an enrolment may cancel bookings, which staff confirm on the enrolments page
        # (gestion/prestations/inscriptions/): the admin's generic deletion would skip that rule.
        return False
