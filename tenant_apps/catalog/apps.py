from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "tenant_apps.catalog"
    label = "services"
    verbose_name = "Prestations"  # package renamed from `services`; the label stays so migrations do not change

    def ready(self):
        from tenant_apps.core.menu import register

        register("Prestations", "services_staff:list", order=20)
        register("Fermetures", "services_staff:closures", order=21)
        register("Inscriptions", "services_staff:enrolments", order=22)
