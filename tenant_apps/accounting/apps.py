from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountingConfig(AppConfig):
    name = "tenant_apps.accounting"
    label = "accounting"
    verbose_name = _("Comptabilité")

    def ready(self):
        from tenant_apps.core.menu import register

        register(_("Exports comptables"), "accounting_staff:exports", order=55)
