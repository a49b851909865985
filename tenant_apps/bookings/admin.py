"""The town admin (staff) for bookings and enrolments: every change goes through the services."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tenant_apps.catalog import services as catalog_services
from tenant_apps.catalog.models import Enrolment
from tenant_apps.core.admin_site import town_admin_site
from tenant_apps.core.clock import town_today
from tenant_apps.core.french import after_colon
from tenants.errors import DomainError

from . import enrolments, services
from .models import Booking, BookingChange


class BookingChangeInline(admin.TabularInline):
    model = BookingChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "action", "source", "actor", "override", "detail")

    def has_add_permission(self, request, obj=None):
        return False


def _run(modeladmin, request, queryset, operation, done: Callable[[int], str]):
    """Apply `operation` to each booking; `done(count)` words the success ("3 réservations annulées.")."""
    ok = failed = 0
    for booking in queryset.select_related("child", "service"):
        try:
            operation(booking)
            ok += 1
        except DomainError as error:
            failed += 1
            modeladmin.message_user(request, _("%(booking)s : %(error)s") % {"booking": booking, "error": after_colon(error.message)},
                                    messages.ERROR)
    if ok:
        modeladmin.message_user(request, done(ok), messages.SUCCESS)


@admin.action(description=gettext_lazy("Réserver à nouveau (gestionnaire, hors délai autorisé)"))
def rebook(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, lambda b: services.booking_set(
        child=b.child, service=b.service, day=b.date, actor=request.user, source=BookingChange.Source.ADMIN,
        override=True), lambda n: ngettext("%(n)d réservation réservée à nouveau.",
                                           "%(n)d réservations réservées à nouveau.", n) % {"n": n})


@admin.action(description=gettext_lazy("Annuler (gestionnaire, hors délai autorisé)"))
def cancel(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, lambda b: services.booking_unset(
        child=b.child, service=b.service, day=b.date, actor=request.user, source=BookingChange.Source.ADMIN,
        override=True), lambda n: ngettext("%(n)d réservation annulée.", "%(n)d réservations annulées.", n) % {"n": n})


def _attendance_action(value, label):
    def action(modeladmin, request, queryset):
        _run(modeladmin, request, queryset, lambda b: services.attendance_mark(
            booking=b, attendance=value, actor=request.user, source=BookingChange.Source.ADMIN),
             lambda n: ngettext("%(n)d réservation pointée.", "%(n)d réservations pointées.", n) % {"n": n})
    action.__name__ = f"mark_{value}"
    return admin.action(description=format_lazy(gettext_lazy("Pointer : {label}"), label=label))(action)


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


class EnrolmentAdminForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["child", "service", "school_year"]

    def clean_school_year(self):
        try:
            return catalog_services.validate_school_year(self.cleaned_data["school_year"].strip())
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


@admin.register(Enrolment, site=town_admin_site)
class EnrolmentAdmin(admin.ModelAdmin):
    """Added by `enrolment_add`, ended by `enrolment_delete` once the confirmation page has shown the
    future bookings it cancels, never edited in place: a correction is an end and a new enrolment,
    each under its rules."""

    form = EnrolmentAdminForm
    list_display = ["child", "service", "school_year"]
    list_filter = ["school_year", "service"]
    search_fields = ["child__last_name", "child__first_name", "child__household__name"]
    raw_id_fields = ["child"]
    list_select_related = ["child", "service"]

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, each through its confirmation page
        return actions

    def save_model(self, request, obj, form, change):
        created = catalog_services.enrolment_add(child=obj.child, service=obj.service, school_year=obj.school_year)
        obj.pk, obj.created_at = created.pk, created.created_at

    def delete_view(self, request, object_id, extra_context=None):
        enrolment = self.get_object(request, unquote(object_id))
        if enrolment is not None:
            today = town_today()
            bookings = enrolments.enrolment_bookings(enrolment)
            extra_context = {
                **(extra_context or {}),
                "invoiced_bookings": bookings.filter(invoiced=True).count(),
                "future_bookings": enrolments.enrolment_future_bookings(enrolment, today=today).count(),
            }
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as error:  # from delete_model: the admin's transaction rolled its log entry back
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.path)

    def delete_model(self, request, obj):
        # The confirmation page listed the future bookings: confirming it confirms their cancellation.
        cancelled = enrolments.enrolment_delete(enrolment=obj, actor=request.user, cancel_future_bookings=True)
        if cancelled:
            self.message_user(request, ngettext("%(n)d réservation à venir annulée.",
                                                "%(n)d réservations à venir annulées.", cancelled) % {"n": cancelled})


from . import absence_admin  # noqa: E402, F401 - registers the absences' admin
