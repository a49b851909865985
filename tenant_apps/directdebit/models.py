"""Direct debit of one town (prélèvement SEPA): the town's creditor settings, households' mandates
with their amendments, the pain.008 files sent to the bank and one debit per invoice debited.

IBANs are stored encrypted (the payment parameters' key, PAYMENT_CONFIG_KEY) and shown masked.
"""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .bank import iban_decrypt


class DirectDebitSettings(models.Model):
    """The town as SEPA creditor (one row), set by staff."""

    class CollectionRule(models.TextChoices):
        DAY_OF_NEXT_MONTH = "day_of_next_month", _("Le jour N du mois suivant l'émission de la facture")
        DAYS_AFTER_ISSUE = "days_after_issue", _("N jours après l'émission de la facture")

    enabled = models.BooleanField(_("proposer le prélèvement automatique aux familles"), default=False)
    creditor_id = models.CharField(_("identifiant créancier SEPA (ICS)"), max_length=35, blank=True,
                                   help_text=_("Ex. FR72ZZZ123456, attribué par la Banque de France."))
    creditor_name = models.CharField(_("nom du créancier"), max_length=70, blank=True,
                                     help_text=_("Tel qu'il apparaît sur le relevé des familles."))
    creditor_iban = models.CharField(_("IBAN du créancier"), max_length=34, blank=True)
    creditor_bic = models.CharField(_("BIC du créancier"), max_length=11, blank=True)
    collection_rule = models.CharField(_("date de prélèvement"), max_length=20, choices=CollectionRule.choices,
                                       default=CollectionRule.DAY_OF_NEXT_MONTH)
    collection_day = models.PositiveSmallIntegerField(_("N (jour ou nombre de jours)"), default=5)
    rejection_fee = models.DecimalField(_("frais de rejet (€)"), max_digits=6, decimal_places=2, default=Decimal("0.00"))
    suspend_after_rejects = models.PositiveSmallIntegerField(
        _("suspendre le mandat après ce nombre de rejets"), default=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réglages du prélèvement")
        verbose_name_plural = _("réglages du prélèvement")

    def __str__(self) -> str:
        return str(_("Réglages du prélèvement automatique"))

    @classmethod
    def current(cls) -> "DirectDebitSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls()

    @property
    def is_complete(self) -> bool:
        return bool(self.creditor_id and self.creditor_name and self.creditor_iban and self.creditor_bic)

    def collection_date_for(self, issued_on: date) -> date:
        """The day an invoice issued on `issued_on` is debited, by the town's rule."""
        if self.collection_rule == self.CollectionRule.DAYS_AFTER_ISSUE:
            return issued_on + timedelta(days=self.collection_day)
        year, month = (issued_on.year + 1, 1) if issued_on.month == 12 else (issued_on.year, issued_on.month + 1)
        day = max(1, min(self.collection_day, calendar.monthrange(year, month)[1]))
        return date(year, month, day)


def mandate_document_path(mandate, filename: str) -> str:
    return f"mandates/{filename}"


class Mandate(models.Model):
    """A household's SEPA mandate, from the parent's request to its revocation."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Demandé")
        ACTIVE = "active", _("Actif")
        REFUSED = "refused", _("Refusé")
        SUSPENDED = "suspended", _("Suspendu")
        REVOKED = "revoked", _("Révoqué")

    class Sequence(models.TextChoices):
        FIRST = "FRST", _("Premier prélèvement")
        RECURRENT = "RCUR", _("Prélèvement récurrent")

    LIVE = (Status.REQUESTED, Status.ACTIVE, Status.SUSPENDED)

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="mandates",
                                  verbose_name=_("foyer"))
    rum = models.CharField(_("référence unique du mandat (RUM)"), max_length=35, unique=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    debtor_name = models.CharField(_("titulaire du compte"), max_length=70)
    debtor_address = models.TextField(_("adresse du titulaire"), blank=True)
    iban_encrypted = models.TextField(_("IBAN (chiffré)"))
    iban_masked = models.CharField(_("IBAN"), max_length=50)
    bic = models.CharField(_("BIC"), max_length=11)
    sequence = models.CharField(_("séquence"), max_length=4, choices=Sequence.choices, default=Sequence.FIRST)
    paper_form = models.BooleanField(_("formulaire papier apporté en mairie"), default=False)
    document = models.FileField(_("mandat signé"), upload_to=mandate_document_path, blank=True, max_length=200)
    document_name = models.CharField(max_length=120, blank=True)
    rejects = models.PositiveSmallIntegerField(_("prélèvements rejetés"), default=0)
    refusal_reason = models.CharField(_("motif du refus"), max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspendu le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mandat de prélèvement")
        verbose_name_plural = _("mandats de prélèvement")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(status__in=["requested", "active", "suspended"]),
                                    name="directdebit_one_live_mandate_per_household"),
        ]

    def __str__(self) -> str:
        return f"{self.rum} ({self.get_status_display()})"

    @property
    def iban(self) -> str:
        """The IBAN in clear, for the bank file only."""
        return iban_decrypt(self.iban_encrypted)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class MandateAmendment(models.Model):
    """A change of the debtor's account on a mandate: the next debit tells the bank (AmdmntInd)."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="amendments")
    original_iban_encrypted = models.TextField()
    original_iban_masked = models.CharField(_("ancien IBAN"), max_length=50)
    original_bic = models.CharField(_("ancien BIC"), max_length=11)
    new_iban_masked = models.CharField(_("nouvel IBAN"), max_length=50)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("modifié le"), auto_now_add=True)
    reported_in = models.ForeignKey("DebitExport", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("signalé dans le fichier"))

    class Meta:
        verbose_name = _("modification de mandat")
        verbose_name_plural = _("modifications de mandat")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.mandate.rum} : {self.original_iban_masked} → {self.new_iban_masked}"

    @property
    def original_iban(self) -> str:
        return iban_decrypt(self.original_iban_encrypted)


class DebitExport(models.Model):
    """A pain.008 file generated for an invoicing run: who, when, which invoices, its checksum."""

    run = models.ForeignKey("billing.InvoiceRun", on_delete=models.PROTECT, null=True, blank=True,
                            related_name="debit_exports", verbose_name=_("facturation"))
    message_id = models.CharField(_("identifiant du message"), max_length=35, unique=True)
    collection_date = models.DateField(_("date de prélèvement"))
    count = models.PositiveIntegerField(_("prélèvements"))
    total = models.DecimalField(_("montant total"), max_digits=12, decimal_places=2)
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64)
    content = models.TextField(_("fichier pain.008"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("généré par"))
    created_at = models.DateTimeField(_("généré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("fichier de prélèvement")
        verbose_name_plural = _("fichiers de prélèvement")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.count})"


class Debit(models.Model):
    """One invoice sent to the bank for collection, and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Transmis à la banque")
        COLLECTED = "collected", _("Prélevé")
        REJECTED = "rejected", _("Rejeté")

    export = models.ForeignKey(DebitExport, on_delete=models.PROTECT, related_name="debits")
    invoice = models.ForeignKey("billing.Invoice", on_delete=models.PROTECT, related_name="debits",
                                verbose_name=_("facture"))
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="debits")
    payment = models.OneToOneField("billing.Payment", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="debit")
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    sequence = models.CharField(_("séquence"), max_length=4, choices=Mandate.Sequence.choices)
    end_to_end_id = models.CharField(_("référence de bout en bout"), max_length=35, unique=True)
    collection_date = models.DateField(_("date de prélèvement"))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rejected_on = models.DateField(_("rejeté le"), null=True, blank=True)
    reject_reason = models.CharField(_("motif du rejet"), max_length=4, blank=True)
    fee = models.DecimalField(_("frais de rejet"), max_digits=6, decimal_places=2, default=Decimal("0.00"))
    fee_settled = models.BooleanField(_("frais de rejet réglés"), default=False)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("prélèvement")
        verbose_name_plural = _("prélèvements")
        ordering = ["-collection_date", "end_to_end_id"]
        constraints = [
            # An invoice is debited once, unless the bank rejected it (then it may be presented again).
            models.UniqueConstraint(fields=["invoice"], condition=~Q(status="rejected"),
                                    name="directdebit_one_live_debit_per_invoice"),
        ]

    def __str__(self) -> str:
        return f"{self.end_to_end_id} ({self.get_status_display()})"


# ISO 20022 reason codes of R-transactions the bank reports (EPC SDD rulebook), in French.
REJECT_REASONS = {
    "AC01": _("AC01 – IBAN erroné"),
    "AC04": _("AC04 – compte clôturé"),
    "AC06": _("AC06 – compte bloqué"),
    "AC13": _("AC13 – compte de débiteur non autorisé (compte professionnel)"),
    "AG01": _("AG01 – prélèvement interdit sur ce compte"),
    "AG02": _("AG02 – code opération invalide"),
    "AM04": _("AM04 – provision insuffisante"),
    "AM05": _("AM05 – opération en double"),
    "BE05": _("BE05 – créancier inconnu"),
    "FF01": _("FF01 – format invalide"),
    "MD01": _("MD01 – pas de mandat"),
    "MD02": _("MD02 – données du mandat manquantes ou erronées"),
    "MD06": _("MD06 – remboursement demandé par le débiteur"),
    "MD07": _("MD07 – débiteur décédé"),
    "MS02": _("MS02 – refus du débiteur"),
    "MS03": _("MS03 – raison non communiquée"),
    "RC01": _("RC01 – BIC erroné"),
    "RR01": _("RR01 – identification du débiteur manquante"),
    "RR02": _("RR02 – nom ou adresse du débiteur manquant"),
    "RR03": _("RR03 – nom ou adresse du créancier manquant"),
    "RR04": _("RR04 – raison réglementaire"),
    "SL01": _("SL01 – service spécifique de la banque du débiteur"),
}
