from django.contrib import admin

from tenant_apps.core.admin_site import town_admin_site

from .models import Conversation, GroupMessage, Notice, TownService


@admin.register(TownService, site=town_admin_site)
class TownServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "is_sensitive", "is_active", "position"]
    search_fields = ["name", "email"]

    def save_model(self, request, obj, form, change):
        from .services import town_service_save

        town_service_save(service=obj, **{f: form.cleaned_data[f] for f in form.cleaned_data})


@admin.register(Conversation, site=town_admin_site)
class ConversationAdmin(admin.ModelAdmin):
    """Read-only: staff answer from the Messagerie screen."""

    list_display = ["subject", "household", "service", "status", "last_message_at"]
    list_filter = ["service", "status"]
    search_fields = ["subject", "household__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GroupMessage, site=town_admin_site)
class GroupMessageAdmin(admin.ModelAdmin):
    """Read-only: staff send from the Messagerie screen (a job writes the conversations)."""

    list_display = ["subject", "audience", "recipient_count", "sent_count", "status", "created_at"]
    exclude = ["household_ids"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notice, site=town_admin_site)
class NoticeAdmin(admin.ModelAdmin):
    """Read-only: staff publish and take down notices from the Messagerie screen."""

    list_display = ["title", "ends_on", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
