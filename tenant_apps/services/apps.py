from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "tenant_apps.services"
    label = "services"
    verbose_name = "Prestations"

    def ready(self):
        from tenant_apps.backoffice.menu import register

        register("Prestations", "services_staff:list", order=20)
        register("Fermetures", "services_staff:closures", order=21)
        register("Inscriptions", "services_staff:enrolments", order=22)
