from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "tenant_apps.messaging"
    label = "messaging"
    verbose_name = _("Messagerie")

    def ready(self):
        from tenant_apps.core.menu import register

        register(_("Messagerie"), "messaging_staff:inbox", order=70)
        register(_("Services joignables"), "messaging_staff:services", order=71)
        register(_("Message groupé"), "messaging_staff:group_new", order=72)
        register(_("Avis urgents"), "messaging_staff:notices", order=73)
