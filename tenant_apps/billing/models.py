"""Billing of one town: tariffs, billing rules, invoicing runs, invoices, credit notes and payments.

Invoices snapshot everything they print (payer, child and service names, unit prices),
so later changes to a family record or a tariff never alter an issued invoice.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenant_apps.core.money import format_money

ZERO = Decimal("0.00")


def euros(amount: Decimal) -> str:
    """"2,80 €": an amount as French staff and parents read it."""
    return format_money(amount)


class BillingSettings(models.Model):
    """The town's billing rules, set by staff (one row)."""

    bill_unjustified_absences = models.BooleanField(
        _("facturer les jours réservés même en cas d'absence non justifiée"), default=True
    )
    bill_unbooked_attendance = models.BooleanField(_("facturer les présences non réservées"), default=True)
    unbooked_surcharge_percent = models.DecimalField(
        _("majoration des présences non réservées (%)"), max_digits=5, decimal_places=2, default=ZERO
    )
    payment_due_days = models.PositiveSmallIntegerField(_("délai de paiement (jours)"), default=30)
    collection_office = models.CharField(
        _("régie (paiement au guichet)"), max_length=300, blank=True,
        help_text=_("Ex. « Régie enfance, mairie, du lundi au vendredi de 9 h à 12 h »."),
    )
    # Unpaid reminders (relances): days after the due date; 0 sends no reminder at that level.
    reminder_first_days = models.PositiveSmallIntegerField(
        _("première relance (jours après l'échéance)"), default=15, help_text=_("0 : pas de relance."))
    reminder_second_days = models.PositiveSmallIntegerField(
        _("seconde relance (jours après l'échéance)"), default=30, help_text=_("0 : pas de seconde relance."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("règles de facturation")
        verbose_name_plural = _("règles de facturation")

    def __str__(self) -> str:
        return str(_("Règles de facturation"))

    @classmethod
    def current(cls) -> "BillingSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls()


class Tariff(models.Model):
    """The price of one unit (a day, a meal) of a service over a validity period."""

    class Mode(models.TextChoices):
        FLAT = "flat", _("Prix unique")
        FAMILY_QUOTIENT = "qf", _("Selon le quotient familial")

    service = models.ForeignKey("services.Service", on_delete=models.PROTECT, related_name="tariffs",
                                verbose_name=_("prestation"))
    label = models.CharField(_("libellé"), max_length=120, blank=True)
    valid_from = models.DateField(_("valable du"))
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=4, choices=Mode.choices, default=Mode.FLAT)
    unit_price = models.DecimalField(_("prix unitaire (€)"), max_digits=8, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tarif")
        verbose_name_plural = _("tarifs")
        ordering = ["service__position", "-valid_from"]

    def __str__(self) -> str:
        return self.label or f"{self.service} ({self.valid_from:%d/%m/%Y})"

    @property
    def period_label(self) -> str:
        """"du 01/09/2026 au 31/08/2027", or "du 01/09/2026 au …" when open-ended."""
        end = f"{self.valid_until:%d/%m/%Y}" if self.valid_until else "…"
        return _("du %(start)s au %(end)s") % {"start": f"{self.valid_from:%d/%m/%Y}", "end": end}

    @property
    def prices_label(self) -> str:
        """"3,30 €" or "QF 0–450 : 1,00 € ; 451–900 : 2,80 € ; > 900 : 3,60 €" (uses prefetched brackets)."""
        if self.mode == self.Mode.FLAT:
            return euros(self.unit_price) if self.unit_price is not None else "—"
        brackets = sorted(self.brackets.all(), key=lambda b: b.qf_min)
        parts = []
        for position, bracket in enumerate(brackets):
            if bracket.qf_max is None:
                bounds = f"> {bracket.qf_min - 1}" if bracket.qf_min > 0 else "tout QF"
            else:
                bounds = f"{bracket.qf_min}–{bracket.qf_max}"
            prefix = "QF " if position == 0 and bracket.qf_max is not None else ""
            parts.append(f"{prefix}{bounds} : {euros(bracket.price)}")
        return " ; ".join(parts) or "—"


class TariffBracket(models.Model):
    """A quotient-familial bracket of a tariff: QF from qf_min to qf_max (inclusive) pays `price`."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="brackets")
    qf_min = models.PositiveIntegerField(_("QF de"), default=0)
    qf_max = models.PositiveIntegerField(_("QF jusqu'à"), null=True, blank=True, help_text=_("Vide : sans limite."))
    price = models.DecimalField(_("prix unitaire (€)"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("tranche de quotient familial")
        verbose_name_plural = _("tranches de quotient familial")
        ordering = ["qf_min"]

    def __str__(self) -> str:
        upper = self.qf_max if self.qf_max is not None else "…"
        return f"QF {self.qf_min}–{upper} : {self.price} €"


class NumberSequence(models.Model):
    """Gapless counters (invoices, credit notes): the row is locked while a number is allocated,
    in the same transaction as the document that takes it."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Factures")
        CREDIT_NOTE = "credit_note", _("Avoirs")

    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("numérotation")
        verbose_name_plural = _("numérotations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.last_number}"


class RunDays(Func):
    """daterange(start, end, '[]'): the days of a run, both ends included."""

    function = "daterange"
    template = "%(function)s(%(expressions)s, '[]')"
    output_field = DateRangeField()


class InvoiceRun(models.Model):
    """A monthly invoicing run started by staff; the job updates status and progress as it goes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminée")
        DONE_WITH_ERRORS = "done_with_errors", _("Terminée avec des erreurs")
        FAILED = "failed", _("Échouée")
        CANCELLED = "cancelled", _("Annulée")

    ACTIVE = (Status.PENDING, Status.RUNNING)
    # A pending or running run whose job gave no sign of life for that long may be resumed or cancelled by staff.
    STALL_AFTER = timedelta(minutes=1)

    period_start = models.DateField(_("du"))
    period_end = models.DateField(_("au"))
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.PENDING)
    with_pdfs = models.BooleanField(_("générer les PDF"), default=True)
    households_total = models.PositiveIntegerField(_("foyers à traiter"), default=0)
    households_done = models.PositiveIntegerField(_("foyers traités"), default=0)
    invoices_created = models.PositiveIntegerField(_("factures émises"), default=0)
    households_skipped = models.PositiveIntegerField(_("foyers déjà facturés"), default=0)
    errors = models.JSONField(_("erreurs"), default=list, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("lancée par"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    started_at = models.DateTimeField(_("démarrée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("dernier signe de vie du traitement"), null=True, blank=True)
    resumed_at = models.DateTimeField(_("reprise le"), null=True, blank=True)
    notices_sent = models.PositiveIntegerField(_("e-mails « nouvelle facture » envoyés"), default=0)
    # Households the job went through without issuing an invoice (nothing to bill, or an error):
    # with the run's committed invoices, they make the progress a resumed job starts again from.
    skipped_household_ids = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("facturation")
        verbose_name_plural = _("facturations")
        ordering = ["-created_at"]
        constraints = [
            # One active run at a time over any day: concurrent starts cannot both get in.
            ExclusionConstraint(
                name="billing_one_active_run_per_period",
                expressions=[(RunDays("period_start", "period_end"), RangeOperators.OVERLAPS)],
                condition=Q(status__in=["pending", "running"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%d/%m/%Y} – {self.period_end:%d/%m/%Y} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def last_sign_of_life(self):
        return self.heartbeat_at or self.created_at

    @property
    def is_stalled(self) -> bool:
        """Active, but its job gave no sign of life for a while: the broker or the worker is down,
        or the worker was killed. Staff may then resume or cancel it."""
        return self.is_active and self.last_sign_of_life < timezone.now() - self.STALL_AFTER

    @property
    def progress_percent(self) -> int:
        if not self.households_total:
            return 100 if not self.is_active else 0
        return min(100, round(100 * self.households_done / self.households_total))


def invoice_pdf_path(invoice, filename: str) -> str:
    return f"invoices/{invoice.issued_on:%Y}/{filename}"


class CollectionMethod(models.TextChoices):
    ON_RECEIPT = "on_receipt", _("Paiement à réception")
    DIRECT_DEBIT = "direct_debit", _("Prélèvement automatique")


class Invoice(models.Model):
    CollectionMethod = CollectionMethod

    class Status(models.TextChoices):
        ISSUED = "issued", _("Enregistré")
        PAYMENT_PENDING = "payment_pending", _("En paiement")
        PAID = "paid", _("Payé")
        CANCELLED = "cancelled", _("Annulée par avoir")

    number = models.CharField(_("numéro"), max_length=12, unique=True)
    sequence = models.PositiveIntegerField(_("rang"), unique=True)
    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="invoices",
                                  verbose_name=_("foyer"))
    run = models.ForeignKey(InvoiceRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="invoices")
    period_start = models.DateField(_("du"))
    period_end = models.DateField(_("au"))
    issued_on = models.DateField(_("émise le"))
    due_on = models.DateField(_("à payer avant le"))
    total = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    amount_paid = models.DecimalField(_("déjà payé"), max_digits=10, decimal_places=2, default=ZERO)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.ISSUED)
    # Payer snapshot, as printed on the invoice.
    payer_name = models.CharField(_("payeur"), max_length=300)
    payer_address = models.TextField(_("adresse du payeur"), blank=True)
    payer_email = models.EmailField(_("e-mail du payeur"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to=invoice_pdf_path, blank=True, max_length=200)
    # How the invoice is collected. The directdebit app sets DIRECT_DEBIT on the invoices it
    # collects: no PAYER, no unpaid reminder for those.
    collection_method = models.CharField(_("mode de recouvrement"), max_length=20,
                                         choices=CollectionMethod.choices, default=CollectionMethod.ON_RECEIPT)
    notified_at = models.DateTimeField(_("famille avertie le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-period_start", "-sequence"]
        constraints = [
            # A run issues one invoice per household. A later run of the same period issues a
            # complementary invoice for the days not billed yet (each booking is billed once:
            # `Booking.invoiced`, set under the household's lock).
            models.UniqueConstraint(
                fields=["household", "run"],
                condition=~Q(status="cancelled") & Q(run__isnull=False),
                name="invoice_one_live_per_household_run",
            ),
            models.CheckConstraint(condition=Q(amount_paid__gte=0), name="invoice_amount_paid_positive"),
        ]
        indexes = [models.Index(fields=["household", "status"], name="invoice_household_status_idx")]

    def __str__(self) -> str:
        return f"Facture {self.number}"

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.total - self.amount_paid)

    @property
    def year(self) -> int:
        return self.period_start.year


class InvoiceLine(models.Model):
    """One child × service (× unit price) on an invoice, with the bookings it bills."""

    class Kind(models.TextChoices):
        BOOKED = "booked", _("Réservé")
        UNBOOKED = "unbooked", _("Présence non réservée")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    child = models.ForeignKey("families.Child", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("services.Service", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BOOKED)
    child_name = models.CharField(_("enfant"), max_length=300)
    service_name = models.CharField(_("prestation"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantité"))
    unit_price = models.DecimalField(_("prix unitaire"), max_digits=8, decimal_places=2)
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    bookings = models.ManyToManyField("bookings.Booking", related_name="invoice_lines", blank=True)

    class Meta:
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")
        ordering = ["child_name", "service_name", "kind", "unit_price"]

    def __str__(self) -> str:
        return f"{self.child_name} – {self.service_name} × {self.quantity}"


class CreditNote(models.Model):
    """An avoir: the only way to cancel an issued invoice (invoices are never deleted)."""

    number = models.CharField(_("numéro"), max_length=12, unique=True)
    sequence = models.PositiveIntegerField(_("rang"), unique=True)
    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="credit_note")
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("motif"), max_length=300)
    issued_on = models.DateField(_("émis le"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avoir")
        verbose_name_plural = _("avoirs")
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"Avoir {self.number} (facture {self.invoice.number})"


class PaymentTransaction(models.Model):
    """One online payment attempt with the town's provider."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En cours")
        PAID = "paid", _("Payée")
        REFUSED = "refused", _("Refusée")
        CANCELLED = "cancelled", _("Abandonnée")
        EXPIRED = "expired", _("Expirée")
        ERROR = "error", _("Erreur")
        AMOUNT_MISMATCH = "amount_mismatch", _("Montant discordant (à vérifier)")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="transactions")
    backend = models.CharField(_("prestataire"), max_length=32)
    order_id = models.CharField(_("référence portail"), max_length=40, unique=True)
    provider_reference = models.CharField(_("référence prestataire"), max_length=120, blank=True, db_index=True)
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.PENDING)
    payer_email = models.EmailField(_("e-mail"), blank=True)
    bank_data = models.JSONField(_("données du prestataire"), default=dict, blank=True)
    needs_review = models.BooleanField(_("à vérifier par la régie"), default=False)
    review_reason = models.CharField(_("motif de vérification"), max_length=300, blank=True)
    notifications = models.PositiveIntegerField(_("notifications reçues"), default=0)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("transaction de paiement")
        verbose_name_plural = _("transactions de paiement")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="paytx_status_created_idx")]

    def __str__(self) -> str:
        return f"{self.order_id} ({self.get_status_display()})"


class Payment(models.Model):
    """Money received from a household, allocated to one or several of its invoices
    (PaymentAllocation); what is not allocated is the household's credit (avoir), used on its
    next invoices. `invoice` is set when the payment was made for one invoice (online payments,
    a direct debit). A direct debit the bank rejects is reversed (`reversed_at`); the debit
    record of the directdebit app keeps the trace."""

    class Method(models.TextChoices):
        ONLINE = "online", _("En ligne")
        COUNTER = "counter", _("Au guichet")
        CASH = "cash", _("Espèces")
        CHEQUE = "cheque", _("Chèque")
        CESU = "cesu", _("CESU")
        ANCV = "ancv", _("Chèques vacances ANCV")
        TRANSFER = "transfer", _("Virement")
        DIRECT_DEBIT = "direct_debit", _("Prélèvement")

    # Methods staff record at the counter (and the receipt PDF is for).
    COUNTER_METHODS = (Method.CASH, Method.CHEQUE, Method.CESU, Method.ANCV, Method.TRANSFER, Method.COUNTER)

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="payments",
                                  null=True, verbose_name=_("foyer"))
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments", null=True, blank=True)
    transaction = models.OneToOneField(PaymentTransaction, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="payment")
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    method = models.CharField(_("mode"), max_length=20, choices=Method.choices)
    paid_at = models.DateTimeField(_("payé le"))
    reference = models.CharField(_("référence"), max_length=120, blank=True)
    cheque_number = models.CharField(_("n° de chèque"), max_length=40, blank=True)
    bank = models.CharField(_("banque"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("enregistré par"))
    reversed_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    reversal_reason = models.CharField(_("motif d'annulation"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["-paid_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{euros(self.amount)} – {self.get_method_display()}"

    @property
    def receipt_number(self) -> str:
        return f"R{self.paid_at:%Y}-{self.pk:06d}"

    @property
    def is_counter(self) -> bool:
        return self.method in self.COUNTER_METHODS


class PaymentAllocation(models.Model):
    """The part of a payment that pays an invoice. A payment's unallocated rest is credit."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    from_credit = models.BooleanField(_("imputé sur l'avoir"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("imputation")
        verbose_name_plural = _("imputations")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive")]

    def __str__(self) -> str:
        return f"{euros(self.amount)} → {self.invoice}"


class InvoiceReminder(models.Model):
    """An unpaid reminder (relance) sent for an invoice: automatic ones once per level
    (1: first delay, 2: second delay), by hand (level 0) as often as staff choose."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="reminders")
    level = models.PositiveSmallIntegerField(_("niveau"))
    sent_at = models.DateTimeField(_("envoyée le"))
    sent_to = models.CharField(_("envoyée à"), max_length=300, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("envoyée par"))

    class Meta:
        verbose_name = _("relance")
        verbose_name_plural = _("relances")
        ordering = ["sent_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["invoice", "level"], condition=Q(level__gt=0),
                                               name="reminder_once_per_level")]

    def __str__(self) -> str:
        return f"Relance {self.level} – {self.invoice}"
