from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "tenant_apps.bookings"
    label = "bookings"
    verbose_name = "Réservations"

    def ready(self):
        from tenant_apps.core.menu import register

        register("Pointage", "bookings_staff:attendance", order=30)
