from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "tenant_apps.families"
    label = "families"
    verbose_name = "Familles"
