from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "tenant_apps.bookings"
    label = "bookings"
    verbose_name = _("Réservations")

    def ready(self):
        from tenant_apps.core.menu import register

        register(_("Fermetures"), "closures_staff:list", order=21)
        register(_("Registre d'appel"), "bookings_staff:register", order=29)
        register(_("Pointage"), "bookings_staff:attendance", order=30)
        register(_("Absences déclarées"), "bookings_staff:absences", order=31)
