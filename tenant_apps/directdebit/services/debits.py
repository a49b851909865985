"""The bank file of an invoicing run (pain.008) and what the bank reports back: debits collected
or rejected (R-transactions: the invoice is due again, the family is told, the town's fee rule
applies, and the mandate is suspended after N rejects)."""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.billing.models import Invoice, InvoiceRun
from tenant_apps.billing.services import payment_record_direct_debit, payment_reverse_direct_debit
from tenant_apps.core.clock import town_today, town_zone
from tenants.outbox.services import send_on_commit

from ..bank_reports import rejects_from_bank_file
from ..errors import DebitNotRejectable, DirectDebitUnavailable, NothingToDebit
from ..models import (
    REJECT_REASONS,
    Debit,
    DebitExport,
    DirectDebitSettings,
    Mandate,
    MandateAmendment,
)
from ..selectors import collection_date, covered_since, debitable_invoices
from ..sepa_file import Amendment, Creditor, DebitLine, build_pain008


def _end_to_end_id(invoice: Invoice) -> str:
    """The invoice number, so that the bank's statements and rejects lead back to the invoice;
    "-2", "-3"… when a rejected invoice is presented again."""
    attempts = invoice.debits.count()
    return invoice.number if attempts == 0 else f"{invoice.number}-{attempts + 1}"


def _paid_at(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=town_zone())


def _bank_code(bic: str) -> str:
    return bic[:6]


@transaction.atomic
def debit_export_create(*, run: InvoiceRun, created_by: Actor = None, represent_rejected: bool = False) -> DebitExport:
    """The pain.008 file of the run's invoices payable by direct debit, validated against the XSD
    before anything is recorded. Each invoice gets a debit record and its payment; it is never
    exported again, unless rejected and `represent_rejected` is asked."""
    rules = DirectDebitSettings.current()
    if not rules.enabled:
        raise DirectDebitUnavailable(_("Le prélèvement automatique est désactivé dans les réglages."))
    if not rules.is_complete:
        raise DirectDebitUnavailable(_("Renseignez d'abord l'ICS, le nom, l'IBAN et le BIC du créancier "
                                       "(Prélèvements › Réglages)."))
    ids = list(debitable_invoices(run.pk, represent_rejected=represent_rejected).values_list("pk", flat=True))
    invoices = list(Invoice.objects.select_for_update().filter(pk__in=ids).order_by("sequence"))
    mandates = {m.household_id: m for m in Mandate.objects.select_for_update().filter(
        household_id__in={i.household_id for i in invoices}, status=Mandate.Status.ACTIVE)}
    invoices = [invoice for invoice in invoices if invoice.remaining > 0 and invoice.status != Invoice.Status.CANCELLED
                and invoice.household_id in mandates
                and invoice.issued_on >= covered_since(mandates[invoice.household_id])]
    if not invoices:
        raise NothingToDebit()
    amendments = {a.mandate_id: a for a in MandateAmendment.objects.filter(
        mandate__in=mandates.values(), reported_in__isnull=True).order_by("created_at")}
    today = town_today()
    planned: list[tuple[Invoice, Mandate, DebitLine]] = []
    for invoice in invoices:
        mandate = mandates[invoice.household_id]
        amendment = amendments.get(mandate.pk)
        other_bank = amendment is not None and _bank_code(amendment.original_bic) != _bank_code(mandate.bic)
        sequence = Mandate.Sequence.FIRST if mandate.sequence == Mandate.Sequence.FIRST or other_bank \
            else Mandate.Sequence.RECURRENT
        line = DebitLine(
            end_to_end_id=_end_to_end_id(invoice), amount=invoice.remaining, sequence=sequence,
            collection_date=collection_date(rules, invoice, today=today), rum=mandate.rum,
            signed_on=mandate.signed_on or today, debtor_name=mandate.debtor_name, iban=mandate.iban, bic=mandate.bic,
            description=_("Facture %(number)s du %(start)s au %(end)s") % {
                "number": invoice.number, "start": f"{invoice.period_start:%d/%m/%Y}",
                "end": f"{invoice.period_end:%d/%m/%Y}"},
            amendment=Amendment(amendment.original_iban, amendment.original_bic) if amendment else None,
            amendment_other_bank=other_bank,
        )
        planned.append((invoice, mandate, line))
    xml = build_pain008(Creditor(rules.creditor_name, rules.creditor_iban, rules.creditor_bic, rules.creditor_id),
                        [line for _invoice, _mandate, line in planned])
    message_id = re.search(rb"<MsgId>([^<]+)</MsgId>", xml)
    export = DebitExport.objects.create(
        run=run, message_id=message_id.group(1).decode() if message_id else hashlib.sha256(xml).hexdigest()[:35],
        collection_date=min(line.collection_date for _i, _m, line in planned), count=len(planned),
        total=sum((line.amount for _i, _m, line in planned), start=Decimal("0.00")),
        checksum=hashlib.sha256(xml).hexdigest(), content=xml.decode("utf-8"), created_by=signed_in(created_by),
    )
    for invoice, mandate, line in planned:
        payment = payment_record_direct_debit(invoice=invoice, amount=line.amount,
                                              paid_at=_paid_at(line.collection_date), reference=line.end_to_end_id)
        Debit.objects.create(
            export=export, invoice=invoice, mandate=mandate, payment=payment, amount=line.amount,
            sequence=line.sequence, end_to_end_id=line.end_to_end_id, collection_date=line.collection_date,
        )
    # Collected by the bank: no payment reminders for these invoices (billing's hook)
    Invoice.objects.filter(pk__in=[invoice.pk for invoice, _m, _l in planned]).update(
        collection_method=Invoice.CollectionMethod.DIRECT_DEBIT)
    Mandate.objects.filter(pk__in=[m.pk for m in mandates.values()]).update(sequence=Mandate.Sequence.RECURRENT)
    MandateAmendment.objects.filter(pk__in=[a.pk for a in amendments.values()]).update(reported_in=export)
    return export


@transaction.atomic
def debit_export_mark_collected(*, export: DebitExport) -> int:
    """The bank credited the file: its debits still pending are collected (a later reject still works)."""
    return export.debits.filter(status=Debit.Status.PENDING).update(status=Debit.Status.COLLECTED)


@transaction.atomic
def debit_reject(*, debit: Debit, rejected_on: date, reason: str, rejected_by: Actor = None) -> Debit:
    """The bank rejected or returned the debit: the invoice is due again (its payment removed),
    the family is told, the town's rejection fee is charged and, after N rejects, the mandate
    is suspended."""
    debit = Debit.objects.select_for_update().get(pk=debit.pk)
    if debit.status == Debit.Status.REJECTED:
        raise DebitNotRejectable(_("Ce prélèvement est déjà enregistré comme rejeté."))
    if reason not in REJECT_REASONS:
        raise DebitNotRejectable(_("Motif de rejet inconnu : choisissez un code de la liste (AC01, AM04, MD01…)."),
                                 code="reject_reason_unknown")
    if rejected_on > town_today():
        raise DebitNotRejectable(_("La date du rejet ne peut pas être dans le futur."), code="reject_date_future")
    rules = DirectDebitSettings.current()
    if debit.payment is not None:
        payment_reverse_direct_debit(payment=debit.payment)
    # Due again, to be paid another way: reminders apply again
    Invoice.objects.filter(pk=debit.invoice_id).update(collection_method=Invoice.CollectionMethod.ON_RECEIPT)
    debit.status = Debit.Status.REJECTED
    debit.rejected_on = rejected_on
    debit.reject_reason = reason
    debit.rejected_by = signed_in(rejected_by)
    debit.fee = rules.rejection_fee
    debit.payment = None
    debit.save()
    mandate = Mandate.objects.select_for_update().get(pk=debit.mandate_id)
    mandate.rejects += 1
    if mandate.status == Mandate.Status.ACTIVE and mandate.rejects >= rules.suspend_after_rejects:
        mandate.status = Mandate.Status.SUSPENDED
        mandate.suspended_at = timezone.now()
    mandate.save()
    from ..tasks import notify_debit_rejected

    send_on_commit(notify_debit_rejected, debit.pk)
    return debit


@transaction.atomic
def debit_fee_settle(*, debit: Debit) -> Debit:
    """The family paid the rejection fee at the counter."""
    debit = Debit.objects.select_for_update().get(pk=debit.pk)
    if debit.status != Debit.Status.REJECTED or not debit.fee or debit.fee_settled:
        raise DebitNotRejectable(_("Pas de frais de rejet à régler sur ce prélèvement."), code="no_fee")
    debit.fee_settled = True
    debit.save(update_fields=["fee_settled"])
    return debit


@dataclass
class BankFileReport:
    rejected: list[Debit] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # end-to-end ids that are none of the town's debits
    skipped: list[str] = field(default_factory=list)  # already rejected, or an unknown reason code


def debits_reject_from_bank_file(*, content: bytes, rejected_by: Actor = None) -> BankFileReport:
    """Each reject the bank's pain.002 or camt.054 file reports, recorded as staff would enter it.
    Each one in its own transaction: a file read twice rejects nothing twice."""
    report = BankFileReport()
    today = town_today()
    for reject in rejects_from_bank_file(content):
        debit = Debit.objects.filter(end_to_end_id=reject.end_to_end_id).first()
        if debit is None:
            report.unknown.append(reject.end_to_end_id)
            continue
        try:
            report.rejected.append(debit_reject(
                debit=debit, rejected_on=min(reject.day or today, today), reason=reject.reason or "MS03",
                rejected_by=rejected_by))
        except DebitNotRejectable:
            report.skipped.append(reject.end_to_end_id)
    return report
