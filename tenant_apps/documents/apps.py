from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tenant_apps.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self):
        from tenant_apps.core.menu import register

        register("Documents", "documents_staff:list", order=60)
