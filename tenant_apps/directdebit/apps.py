from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectDebitConfig(AppConfig):
    name = "tenant_apps.directdebit"
    label = "directdebit"
    verbose_name = _("Prélèvement automatique")

    def ready(self):
        from tenant_apps.billing.hooks import register_invoices_panel, register_settlement
        from tenant_apps.core.menu import register

        from .selectors import debit_notes
        from .views import invoices_panel

        register(_("Prélèvements"), "directdebit_staff:home", order=55)
        register_settlement(debit_notes)
        register_invoices_panel(invoices_panel)
