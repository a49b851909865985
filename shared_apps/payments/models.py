"""Per-town online-payment provider configuration (public schema).

One row per town: the eopayment backend, its parameters (encrypted at rest, see
`crypto.py`) and whether parents may pay online. Town schemas never hold a foreign key
to this table: they read it through `selectors.provider_config_for_current_town()`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

BACKEND_CHOICES = [
    ("dummy", _("Dummy (développement et démonstration)")),
    ("payfip_ws", "PayFiP (services web DGFiP)"),
    ("tipi", "TIPI / PayFiP (formulaire)"),
    ("systempayv2", "SystemPay v2"),
    ("payzen", "PayZen"),
    ("paybox", "Paybox"),
    ("ogone", "Ogone"),
    ("sips2", "SIPS 2.0"),
    ("mollie", "Mollie"),
    ("keyware", "Keyware"),
    ("saga", "Saga"),
    ("worldline", "Worldline"),
]


class PaymentProviderConfig(models.Model):
    town = models.OneToOneField(
        "tenants.Town", on_delete=models.CASCADE, related_name="payment_config", verbose_name=_("ville")
    )
    backend = models.CharField(_("prestataire (eopayment)"), max_length=32, choices=BACKEND_CHOICES)
    encrypted_params = models.TextField(_("paramètres chiffrés"), blank=True, editable=False)
    enabled = models.BooleanField(_("paiement en ligne activé"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("paiement en ligne d'une ville")
        verbose_name_plural = _("paiement en ligne des villes")
        ordering = ["town__name"]

    def __str__(self) -> str:
        return f"{self.town.name} – {self.get_backend_display()}"

    @property
    def params(self) -> dict:
        from .crypto import decrypt_params

        return decrypt_params(self.encrypted_params)
