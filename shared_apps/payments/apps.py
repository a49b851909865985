from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "shared_apps.payments"
    label = "payments"
    verbose_name = "Paiement en ligne"
