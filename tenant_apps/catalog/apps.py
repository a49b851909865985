from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "tenant_apps.catalog"
    label = "services"
    verbose_name = _("Prestations")  # package renamed from `services`; the label stays so migrations do not change

    def ready(self):
        from tenant_apps.core.menu import register

        register(_("Prestations"), "services_staff:list", order=20)
        register(_("Inscriptions"), "services_staff:enrolments", order=22)
        from tenant_apps.families.imports import EnrolmentColumn, register_enrolment_column

        from .family_import import enrol_imported_child, service_by_name

        register_enrolment_column(EnrolmentColumn(resolve=service_by_name, enrol=enrol_imported_child))
