from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "tenant_apps.messaging"
    label = "messaging"
    verbose_name = "Messagerie"

    def ready(self):
        from tenant_apps.core.menu import register

        register("Messagerie", "messaging_staff:inbox", order=70)
        register("Services joignables", "messaging_staff:services", order=71)
