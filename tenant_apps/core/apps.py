from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The town kernel every other town app builds on: the town's profile and clock, permissions,
    the staff admin site and menu registry, HTML sanitising and upload checks. It imports no other
    town app."""

    name = "tenant_apps.core"
    label = "core"
    verbose_name = "Ville"
