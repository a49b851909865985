"""The direct-debit data the PES file carries for a household that pays by SEPA mandate.

Mandates belong to the direct-debit app, which sits beside billing and may not be installed:
it is looked up by name at run time (no import of it here), and a town without it exports
titles without the InfoPrelevementSEPA block.
"""

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Literal

Sequence = Literal["FRST", "RCUR", "OOFF", "FNAL"]
DIRECT_DEBIT_SELECTORS = "tenant_apps.directdebit.selectors"


@dataclass(frozen=True)
class SepaDebit:
    rum: str
    signed_on: dt.date
    iban: str
    bic: str
    debtor_name: str
    sequence: Sequence = "RCUR"


def _mandate_lookup():
    try:
        module = importlib.import_module(DIRECT_DEBIT_SELECTORS)
    except ModuleNotFoundError:
        return None
    return getattr(module, "active_mandate_for_household", None)


def sepa_debit_for(invoice) -> SepaDebit | None:
    """The SEPA mandate that pays `invoice`, if the household has an active one."""
    lookup = _mandate_lookup()
    if lookup is None:
        return None
    mandate = lookup(invoice.household)
    if mandate is None:
        return None
    if isinstance(mandate, SepaDebit):
        return mandate
    return SepaDebit(
        rum=mandate.rum, signed_on=mandate.signed_on, iban=mandate.iban, bic=mandate.bic,
        debtor_name=getattr(mandate, "debtor_name", "") or invoice.payer_name,
        sequence=getattr(mandate, "sequence", "RCUR") or "RCUR",
    )
