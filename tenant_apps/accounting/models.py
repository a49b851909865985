"""Accounting settings of one town (its identity for the Trésor public) and the record of every
export staff made (what was sent, by whom, when, with the file and its checksum)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .keys import siret_valid

alphanumeric = RegexValidator(r"^[0-9A-Za-z]*$", _("Lettres et chiffres uniquement."))
digits = RegexValidator(r"^[0-9]*$", _("Chiffres uniquement."))


def validate_siret(value: str) -> None:
    if not siret_valid(value):
        raise ValidationError(_("Ce SIRET n'est pas valide (14 chiffres dont le dernier est une clé de contrôle)."),
                              code="invalid_siret")


class AccountingSettings(models.Model):
    """The town's identifiers in Hélios (one row)."""

    id_post = models.CharField(_("poste comptable (IdPost)"), max_length=7, blank=True, validators=[digits],
                               help_text=_("Numéro codique du poste comptable, 6 ou 7 chiffres."))
    post_label = models.CharField(_("libellé du poste comptable"), max_length=38, blank=True)
    id_coll = models.CharField(_("SIRET de la collectivité (IdColl)"), max_length=14, blank=True,
                               validators=[validate_siret])
    cod_col = models.CharField(_("code collectivité (CodCol)"), max_length=3, blank=True, validators=[alphanumeric])
    cod_bud = models.CharField(_("code budget (CodBud)"), max_length=2, blank=True, validators=[alphanumeric])
    fiscal_year = models.PositiveSmallIntegerField(_("exercice"), null=True, blank=True)
    nature = models.CharField(_("compte de nature (Nature)"), max_length=12, default="7066", validators=[digits],
                              help_text=_("Imputation budgétaire des produits, par exemple 7066."))
    ormc_nature_code = models.CharField(
        _("code nature du rôle"), max_length=2, default="01", validators=[digits],
        help_text=_("Entre dans le calcul des clés des articles de rôle (Cle1)."),
    )
    regie = models.CharField(_("numéro de régie"), max_length=10, blank=True,
                             help_text=_("Facultatif : la régie de recettes qui encaisse les factures."))
    last_bordereau_number = models.PositiveIntegerField(_("dernier numéro de bordereau"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("paramètres comptables")
        verbose_name_plural = _("paramètres comptables")

    def __str__(self) -> str:
        return str(_("Paramètres comptables"))

    @classmethod
    def current(cls) -> "AccountingSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls()


class ServiceAccounting(models.Model):
    """The local product code (CodProdLoc) a service's invoice lines are imputed to."""

    service = models.OneToOneField("services.Service", on_delete=models.CASCADE, related_name="accounting",
                                   verbose_name=_("prestation"))
    cod_prod_loc = models.CharField(_("code produit local (CodProdLoc)"), max_length=4, validators=[alphanumeric])

    class Meta:
        verbose_name = _("code produit d'une prestation")
        verbose_name_plural = _("codes produit des prestations")

    def __str__(self) -> str:
        return f"{self.service} : {self.cod_prod_loc}"


def export_path(record, filename: str) -> str:
    return f"exports/{record.created_at:%Y}/{filename}"


class ExportRecord(models.Model):
    """One file staff generated for the accounting office."""

    class Kind(models.TextChoices):
        PES = "pes", _("PES V2 (Hélios)")
        INVOICES_CSV = "invoices_csv", _("Factures (CSV)")
        INVOICES_XLSX = "invoices_xlsx", _("Factures (XLSX)")
        PAYMENTS_CSV = "payments_csv", _("Paiements (CSV)")
        PAYMENTS_XLSX = "payments_xlsx", _("Paiements (XLSX)")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("par"))
    created_at = models.DateTimeField(_("le"), auto_now_add=True)
    run = models.ForeignKey("billing.InvoiceRun", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+", verbose_name=_("facturation"))
    period_start = models.DateField(_("du"), null=True, blank=True)
    period_end = models.DateField(_("au"), null=True, blank=True)
    invoices = models.ManyToManyField("billing.Invoice", related_name="+", blank=True, verbose_name=_("factures"))
    invoice_count = models.PositiveIntegerField(_("nombre de factures"), default=0)
    total = models.DecimalField(_("montant total"), max_digits=12, decimal_places=2, default=0)
    bordereau_number = models.PositiveIntegerField(_("numéro de bordereau"), null=True, blank=True)
    # Numbers of the invoices that an earlier export of the same destination already carried.
    already_exported = models.JSONField(_("factures déjà exportées"), default=list, blank=True)
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64)
    filename = models.CharField(_("nom du fichier"), max_length=120)
    file = models.FileField(_("fichier"), upload_to=export_path, max_length=200)

    class Meta:
        verbose_name = _("export comptable")
        verbose_name_plural = _("exports comptables")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.filename}"

    @property
    def destination(self) -> str:
        """pes / invoices / payments: re-exporting an invoice is flagged within one destination."""
        return self.kind.split("_")[0]
