from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "tenant_apps.families"
    label = "families"
    verbose_name = _("Familles")

    def ready(self):
        from tenant_apps.accounts.email_change import follow_login_email
        from tenant_apps.core.menu import register

        from .login_email import guardian_follows_login_email

        register(_("Familles"), "families_staff:households", order=10)
        # A guardian's record keeps a copy of their login e-mail: it follows a confirmed change.
        follow_login_email(guardian_follows_login_email)
