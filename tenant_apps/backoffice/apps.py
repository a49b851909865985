from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "tenant_apps.backoffice"
    label = "backoffice"
    verbose_name = _("Gestion")

    def ready(self):
        from tenant_apps.core.menu import register

        register(_("Invitations"), "backoffice:invitations", order=12)
