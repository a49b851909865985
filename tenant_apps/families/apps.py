from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "tenant_apps.families"
    label = "families"
    verbose_name = _("Familles")

    def ready(self):
        from tenant_apps.core.menu import register

        register(_("Familles"), "families_staff:households", order=10)
