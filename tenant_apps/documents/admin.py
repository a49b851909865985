from django.contrib import admin

from tenant_apps.core.admin_site import town_admin_site

from .models import Document


@admin.register(Document, site=town_admin_site)
class DocumentAdmin(admin.ModelAdmin):
    """Read and date changes only: files are published from the Documents screen (type/size checks)."""

    list_display = ["title", "category", "published_on", "unpublished_on", "audience"]
    list_filter = ["category", "audience"]
    search_fields = ["title", "original_name"]
    readonly_fields = ["services", "file", "content_type", "size", "original_name", "created_at", "created_by"]
    date_hierarchy = "published_on"

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        from .services import document_update

        document_update(document=obj, title=obj.title, category=obj.category, published_on=obj.published_on,
                        unpublished_on=obj.unpublished_on, audience=obj.audience,
                        services=obj.services.all() if obj.pk else ())
