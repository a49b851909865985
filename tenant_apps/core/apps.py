from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The town kernel every other town app builds on: the town's profile and clock, permissions,
    the staff admin site and menu registry, HTML sanitising and upload checks. It imports no other
    town app."""

    name = "tenant_apps.core"
    label = "core"
    verbose_name = _("Ville")
