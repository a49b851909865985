"""Every write of direct debit: mandates (request, validation, amendments, revocation), the town's
creditor settings, pain.008 exports and rejected debits. Callers import from the package."""

from .debits import (
    BankFileReport,
    debit_export_create,
    debit_export_mark_collected,
    debit_fee_settle,
    debit_reject,
    debits_reject_from_bank_file,
)
from .mandates import (
    direct_debit_settings_check,
    direct_debit_settings_update,
    mandate_change_account,
    mandate_reactivate,
    mandate_refuse,
    mandate_request,
    mandate_revoke,
    mandate_validate,
    rum_generate,
)

__all__ = [
    "BankFileReport",
    "debit_export_create",
    "debit_export_mark_collected",
    "debit_fee_settle",
    "debit_reject",
    "debits_reject_from_bank_file",
    "direct_debit_settings_check",
    "direct_debit_settings_update",
    "mandate_change_account",
    "mandate_reactivate",
    "mandate_refuse",
    "mandate_request",
    "mandate_revoke",
    "mandate_validate",
    "rum_generate",
]
