from django.contrib import admin

from tenant_apps.core.admin_site import town_admin_site

from .models import CalendarFeed


@admin.register(CalendarFeed, site=town_admin_site)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("household", "created_at", "last_read_at")
    readonly_fields = ("household", "created_at", "last_read_at")
    exclude = ("token",)  # a secret of the family's

    def has_add_permission(self, request):
        return False
