from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tenant_apps.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from tenant_apps.core.menu import register

        register(_("Documents"), "documents_staff:list", order=60)
