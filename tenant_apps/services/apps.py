from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "tenant_apps.services"
    label = "services"
    verbose_name = "Prestations"
