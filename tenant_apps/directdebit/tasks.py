"""Background jobs of direct debit: the e-mails that tell a family what became of its mandate
request and of a debit the bank rejected."""

import dramatiq
from django.utils.translation import gettext as _

from tenant_apps.accounts.emails import send_templated_mail
from tenant_apps.billing.models import euros
from tenant_apps.families.models import Household
from tenants.current import require_town
from tenants.urls import town_url

from .models import REJECT_REASONS, Debit, Mandate


def _family_addresses(household: Household) -> list[str]:
    addresses: list[str] = []
    for guardian in household.guardians.select_related("user"):
        user = guardian.user
        address = user.email if user is not None and user.is_active else guardian.email
        if address and address.lower() not in {a.lower() for a in addresses}:
            addresses.append(address)
    return addresses


@dramatiq.actor(max_retries=3)
def notify_mandate_decision(mandate_id: int) -> None:
    mandate = Mandate.objects.select_related("household").filter(pk=mandate_id).first()
    if mandate is None or mandate.status not in (Mandate.Status.ACTIVE, Mandate.Status.REFUSED):
        return
    town = require_town()
    accepted = mandate.status == Mandate.Status.ACTIVE
    subject = (_("%(town)s – votre prélèvement automatique est mis en place") if accepted
               else _("%(town)s – votre demande de prélèvement automatique n'a pas été acceptée")) % {"town": town.name}
    context = {"town": town, "mandate": mandate, "accepted": accepted,
               "invoices_url": town_url(town, "billing:invoices")}
    for address in _family_addresses(mandate.household):
        send_templated_mail(to=address, subject=subject, template="directdebit/email/mandate_decision", context=context)


@dramatiq.actor(max_retries=3)
def notify_debit_rejected(debit_id: int) -> None:
    debit = Debit.objects.select_related("invoice", "mandate", "mandate__household").filter(pk=debit_id).first()
    if debit is None or debit.status != Debit.Status.REJECTED:
        return
    town = require_town()
    context = {
        "town": town, "debit": debit, "invoice": debit.invoice, "mandate": debit.mandate,
        "amount": euros(debit.amount), "fee": euros(debit.fee) if debit.fee else "",
        "reason": REJECT_REASONS.get(debit.reject_reason, debit.reject_reason),
        "suspended": debit.mandate.status == Mandate.Status.SUSPENDED,
        "invoices_url": town_url(town, "billing:invoices"),
    }
    subject = _("%(town)s – le prélèvement de la facture %(number)s a été rejeté") % {
        "town": town.name, "number": debit.invoice.number}
    for address in _family_addresses(debit.mandate.household):
        send_templated_mail(to=address, subject=subject, template="directdebit/email/debit_rejected", context=context)
