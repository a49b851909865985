"""Ways other apps settle invoices (direct debit), told to billing without billing importing them.

An app above billing registers, from its AppConfig.ready(), a function that says for some
invoices how they are settled instead of online ("Prélèvement le 05/01/2027"). MES FACTURES
shows that text instead of PAYER, and `payment_start` refuses an online payment of such an
invoice: one rule, for the page, the API and the service.
"""

from collections.abc import Callable, Iterable

from tenant_apps.families.models import Household

from .models import Invoice

# invoices -> {invoice id: the French text shown instead of PAYER}
SettlementNotes = Callable[[list[Invoice]], dict[int, str]]

_providers: list[SettlementNotes] = []


def register_settlement(provider: SettlementNotes) -> None:
    if provider not in _providers:
        _providers.append(provider)


def settlement_notes(invoices: Iterable[Invoice]) -> dict[int, str]:
    """For each invoice settled otherwise than online, the text that says how and when."""
    invoices = list(invoices)
    notes: dict[int, str] = {}
    if not invoices:
        return notes
    for provider in _providers:
        for invoice_id, note in provider(invoices).items():
            notes.setdefault(invoice_id, note)
    return notes


# household -> a block for MES FACTURES ({"template": ..., and its context}), or None
InvoicesPanel = Callable[[Household], dict | None]

_panels: list[InvoicesPanel] = []


def register_invoices_panel(panel: InvoicesPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def invoices_panels(household: Household) -> list[dict]:
    """The blocks other apps add to the parent's MES FACTURES page (e.g. "Prélèvement automatique")."""
    return [block for panel in _panels if (block := panel(household)) is not None]
