from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "tenant_apps.portal"
    label = "portal"
    verbose_name = _("Portail")

    def ready(self):
        from tenant_apps.core.menu import register

        register(_("Accueil du portail"), "portal_staff:profile", order=10)
