"""Reads of direct debit. A parent's reads start from their household."""

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.billing.models import Invoice
from tenant_apps.core.clock import town_today, town_zone
from tenant_apps.families.models import Household

from .models import Debit, DebitExport, DirectDebitSettings, Mandate

# SEPA core debits reach the debtor's bank at least one business day before the collection
# date; banks ask the file two business days ahead. A rule date closer than that moves back.
LEAD_BUSINESS_DAYS = 2


def active_mandate_for_household(household: Household) -> Mandate | None:
    """The household's mandate that the next debits use, or None."""
    return Mandate.objects.filter(household=household, status=Mandate.Status.ACTIVE).first()


def mandate_of(household: Household) -> Mandate | None:
    """The household's live mandate (requested, active or suspended), else its latest one."""
    mandates = Mandate.objects.filter(household=household)
    return mandates.filter(status__in=Mandate.LIVE).first() or mandates.order_by("-created_at").first()


def mandates_for_staff(status: str = "") -> QuerySet[Mandate]:
    mandates = Mandate.objects.select_related("household").order_by("status", "-created_at")
    return mandates.filter(status=status) if status else mandates


def covered_since(mandate: Mandate) -> date:
    """The first issue day of the invoices the mandate pays: those issued from its validation on
    (older ones were announced with PAYER and stay payable online or at the counter)."""
    if mandate.validated_at is None:
        return date.max
    return timezone.localtime(mandate.validated_at, town_zone()).date()


def earliest_collection_date(today: date) -> date:
    day, added = today, 0
    while added < LEAD_BUSINESS_DAYS:
        day += timedelta(days=1)
        if day.weekday() < 5:
            added += 1
    return day


def collection_date(rules: DirectDebitSettings, invoice: Invoice, *, today: date) -> date:
    """When the invoice will be debited: the town's rule, or the earliest date the bank accepts."""
    return max(rules.collection_date_for(invoice.issued_on), earliest_collection_date(today))


def debit_notes(invoices: list[Invoice]) -> dict[int, str]:
    """"Prélèvement le 05/01/2027" for each invoice sent to the bank, or due to be debited from the
    household's active mandate (billing shows it instead of PAYER and refuses online payment)."""
    ids = [invoice.pk for invoice in invoices]
    notes: dict[int, str] = {}
    debits = Debit.objects.filter(invoice_id__in=ids).values_list("invoice_id", "status", "collection_date")
    rejected: set[int] = set()
    for invoice_id, status, day in debits:
        if status == Debit.Status.REJECTED:
            rejected.add(invoice_id)
        else:
            notes[invoice_id] = _("Prélèvement le %(date)s") % {"date": f"{day:%d/%m/%Y}"}
    waiting = [invoice for invoice in invoices if invoice.pk not in notes and invoice.pk not in rejected
               and invoice.status != Invoice.Status.CANCELLED and invoice.remaining > 0]
    if not waiting:
        return notes
    households = {
        mandate.household_id: covered_since(mandate) for mandate in
        Mandate.objects.filter(household_id__in={i.household_id for i in waiting}, status=Mandate.Status.ACTIVE)
    }
    if not households:
        return notes
    rules = DirectDebitSettings.current()
    if not rules.enabled:
        return notes
    today = town_today()
    for invoice in waiting:
        if invoice.household_id in households and invoice.issued_on >= households[invoice.household_id]:
            day = collection_date(rules, invoice, today=today)
            notes[invoice.pk] = _("Prélèvement le %(date)s") % {"date": f"{day:%d/%m/%Y}"}
    return notes


def debitable_invoices(run_id: int, *, represent_rejected: bool = False) -> QuerySet[Invoice]:
    """The run's invoices to debit: due, of households with an active mandate, never sent to the
    bank (or, with `represent_rejected`, sent and rejected, presented again)."""
    invoices = (
        Invoice.objects.filter(run_id=run_id, household__mandates__status=Mandate.Status.ACTIVE)
        .exclude(status__in=[Invoice.Status.CANCELLED, Invoice.Status.PAID])
        .exclude(debits__status__in=[Debit.Status.PENDING, Debit.Status.COLLECTED])
        .order_by("sequence")
        .distinct()
    )
    if not represent_rejected:
        invoices = invoices.exclude(debits__status=Debit.Status.REJECTED)
    return invoices


def recent_exports(limit: int = 20) -> QuerySet[DebitExport]:
    return DebitExport.objects.select_related("run", "created_by").order_by("-created_at")[:limit]


def debits_for_staff(limit: int = 200) -> QuerySet[Debit]:
    return Debit.objects.select_related("invoice", "mandate", "mandate__household").order_by(
        "-collection_date", "end_to_end_id")[:limit]


def already_exported_invoices(run_id: int) -> QuerySet[Invoice]:
    return Invoice.objects.filter(run_id=run_id, debits__isnull=False).distinct()
