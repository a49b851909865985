from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "tenant_apps.billing"
    label = "billing"
    verbose_name = "Facturation"

    def ready(self):
        from tenant_apps.core.menu import register

        register("Facturation", "billing_staff:runs", order=50)
