"""The town admin (staff) for bookings: read-mostly; every change goes through the services."""

from django.contrib import admin, messages

from tenant_apps.core.admin_site import town_admin_site
from tenants.errors import DomainError

from . import services
from .models import Booking, BookingChange


class BookingChangeInline(admin.TabularInline):
    model = BookingChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "action", "source", "actor", "override", "detail")

    def has_add_permission(self, request, obj=None):
        return False


def _run(modeladmin, request, queryset, operation, done: str):
    ok = failed = 0
    for booking in queryset.select_related("child", "service"):
        try:
            operation(booking)
            ok += 1
        except DomainError as error:
            failed += 1
            modeladmin.message_user(request, f"{booking} : {error.message}", messages.ERROR)
    if ok:
        modeladmin.message_user(request, f"{ok} réservation(s) {done}.", messages.SUCCESS)


@admin.action(description="Réserver à nouveau (gestionnaire, hors délai autorisé)")
def rebook(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, lambda b: services.booking_set(
        child=b.child, service=b.service, day=b.date, actor=request.user, source=BookingChange.Source.ADMIN,
        override=True), "réservée(s)")


@admin.action(description="Annuler (gestionnaire, hors délai autorisé)")
def cancel(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, lambda b: services.booking_unset(
        child=b.child, service=b.service, day=b.date, actor=request.user, source=BookingChange.Source.ADMIN,
        override=True), "annulée(s)")


def _attendance_action(value, label):
    def action(modeladmin, request, queryset):
        _run(modeladmin, request, queryset, lambda b: services.attendance_mark(
            booking=b, attendance=value, actor=request.user, source=BookingChange.Source.ADMIN), "pointée(s)")
    action.__name__ = f"mark_{value}"
    return admin.action(description=f"Pointer : {label}")(action)


@admin.register(Booking, site=town_admin_site)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["date", "child", "service", "status", "attendance", "invoiced", "unbooked_attendance"]
    list_filter = ["status", "attendance", "invoiced", "service"]
    search_fields = ["child__last_name", "child__first_name", "child__household__name", "service__name"]
    date_hierarchy = "date"
    list_select_related = ["child", "service"]
    readonly_fields = ["child", "service", "date", "status", "attendance", "invoiced", "unbooked_attendance",
                       "created_at", "updated_at"]
    inlines = [BookingChangeInline]
    actions = [rebook, cancel] + [_attendance_action(v, label) for v, label in Booking.Attendance.choices[1:]]

    def has_add_permission(self, request):
        return False  # bookings are made through the portal, the API, bulk booking or the attendance sheet

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: the audit trail stays


@admin.register(BookingChange, site=town_admin_site)
class BookingChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "booking", "action", "source", "actor", "override"]
    list_filter = ["action", "source", "override"]
    search_fields = ["booking__child__last_name", "booking__child__first_name", "actor__email"]
    list_select_related = ["booking__child", "booking__service", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
