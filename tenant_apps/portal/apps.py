from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "tenant_apps.portal"
    label = "portal"
    verbose_name = "Portail"

    def ready(self):
        from tenant_apps.core.menu import register

        register("Accueil du portail", "portal_staff:profile", order=10)
