from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "tenant_apps.families"
    label = "families"
    verbose_name = "Familles"

    def ready(self):
        from tenant_apps.core.menu import register

        register("Familles", "families_staff:households", order=10)
