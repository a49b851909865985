"""Credit notes (avoirs): cancelling an issued invoice."""

from django.db import transaction
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.bookings.models import Booking
from tenant_apps.core.clock import town_today

from ..errors import InvoiceNotCancellable
from ..models import CreditNote, Invoice, NumberSequence
from .numbering import credit_note_number, number_allocate


@transaction.atomic
def credit_note_issue(*, invoice: Invoice, reason: str, issued_by: Actor = None) -> CreditNote:
    """Cancel an issued invoice by an avoir of its full amount; its bookings become billable again."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not reason.strip():
        raise InvoiceNotCancellable("Indiquez le motif de l'avoir.")
    if invoice.status == Invoice.Status.CANCELLED:
        raise InvoiceNotCancellable(_("Cette facture est déjà annulée par un avoir."))
    if invoice.status == Invoice.Status.PAYMENT_PENDING:
        raise InvoiceNotCancellable("Un paiement en ligne de cette facture est en cours : attendez son issue.")
    if invoice.amount_paid > 0:
        raise InvoiceNotCancellable(_(
            "Cette facture a déjà été réglée, même en partie : remboursez le paiement avant d'émettre un avoir."
        ))
    sequence = number_allocate(kind=NumberSequence.Kind.CREDIT_NOTE)
    note = CreditNote.objects.create(
        number=credit_note_number(sequence), sequence=sequence, invoice=invoice, amount=invoice.total,
        reason=reason.strip(), issued_on=town_today(), issued_by=signed_in(issued_by),
    )
    invoice.status = Invoice.Status.CANCELLED
    invoice.save(update_fields=["status", "updated_at"])
    Booking.objects.filter(invoice_lines__invoice=invoice).update(invoiced=False)
    return note
