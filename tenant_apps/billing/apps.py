from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "tenant_apps.billing"
    label = "billing"
    verbose_name = _("Facturation")

    def ready(self):
        from tenant_apps.core.menu import register

        register(_("Facturation"), "billing_staff:runs", order=50)

        from tenant_apps.core import audiences

        from .selectors import households_with_unpaid_invoice

        audiences.register_group("unpaid", _("Foyers avec une facture impayée"), households_with_unpaid_invoice)
