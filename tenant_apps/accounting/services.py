"""Writes of the accounting app: the town's settings, and each export (built, checked, stored and
recorded in one go, or refused with the reason and no file)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.billing.models import Invoice, InvoiceRun
from tenant_apps.catalog.models import Service
from tenant_apps.core.clock import town_today
from tenants.current import require_town

from . import pes, selectors, tabular
from .errors import AccountingSettingsIncomplete, DebtorDataIncomplete, NothingToExport
from .models import AccountingSettings, ExportRecord, ServiceAccounting
from .sepa import SepaDebit, sepa_debit_for

Kind = ExportRecord.Kind
SepaLookup = Callable[[Invoice], SepaDebit | None]


@transaction.atomic
def accounting_settings_update(*, values: dict, product_codes: dict[int, str]) -> AccountingSettings:
    """Save the town's identifiers and each service's CodProdLoc (an empty code removes it)."""
    settings = AccountingSettings.objects.select_for_update().order_by("pk").first() or AccountingSettings()
    for name, value in values.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    for service_id, code in product_codes.items():
        if code:
            ServiceAccounting.objects.update_or_create(service_id=service_id, defaults={"cod_prod_loc": code.upper()})
        else:
            ServiceAccounting.objects.filter(service_id=service_id).delete()
    return settings


def _check_settings(settings: AccountingSettings, invoices: list) -> dict[int, str]:
    """The CodProdLoc of every service billed, or a refusal naming what is missing."""
    missing = [label for label, value in (
        (_("le poste comptable (IdPost)"), settings.id_post),
        (_("le SIRET de la collectivité (IdColl)"), settings.id_coll),
        (_("le code collectivité (CodCol)"), settings.cod_col),
        (_("le compte de nature"), settings.nature),
    ) if not value]
    if missing:
        raise AccountingSettingsIncomplete(
            _("Paramètres comptables incomplets : renseignez %(fields)s avant d'exporter le fichier PES.")
            % {"fields": ", ".join(missing)}
        )
    service_ids = {line.service_id for invoice in invoices for line in invoice.lines.all()}
    codes = dict(ServiceAccounting.objects.filter(service_id__in=service_ids).values_list("service_id",
                                                                                          "cod_prod_loc"))
    if without := sorted(Service.objects.filter(pk__in=service_ids - codes.keys()).values_list("name", flat=True)):
        raise AccountingSettingsIncomplete(
            _("Code produit local (CodProdLoc) manquant pour : %(services)s.") % {"services": ", ".join(without)}
        )
    return codes


def _check_debtors(invoices: list) -> None:
    incomplete = sorted({invoice.household.name for invoice in invoices
                         if not pes._address(invoice)[0].strip() or len(pes._address(invoice)[1]) != 5})
    if incomplete:
        raise DebtorDataIncomplete(
            _("Adresse du payeur incomplète (rue et code postal) pour : %(households)s.")
            % {"households": ", ".join(incomplete[:10])}
        )


def _record(*, kind: str, content: bytes, filename: str, invoices: list, user: Actor, run: InvoiceRun | None,
            start: dt.date | None, end: dt.date | None, bordereau_number: int | None = None) -> ExportRecord:
    destination = kind.split("_")[0]
    record = ExportRecord(
        kind=kind, created_by=signed_in(user), run=run,
        period_start=start, period_end=end, invoice_count=len(invoices),
        total=sum((invoice.total for invoice in invoices), Decimal("0.00")),
        bordereau_number=bordereau_number,
        already_exported=selectors.already_exported([invoice.pk for invoice in invoices], destination=destination),
        checksum=hashlib.sha256(content).hexdigest(), filename=filename,
    )
    record.save()
    record.file.save(filename, ContentFile(content), save=True)
    record.invoices.set(invoices)
    return record


def _selection(run_id: int | None, start: dt.date | None, end: dt.date | None) -> tuple[InvoiceRun | None, list]:
    run = InvoiceRun.objects.get(pk=run_id) if run_id is not None else None
    invoices = list(selectors.invoices_for(run=run, start=start, end=end).prefetch_related("lines"))
    if not any(invoice.total > 0 for invoice in invoices):
        raise NothingToExport()
    return run, invoices


def pes_content(*, invoices: list, settings: AccountingSettings, bordereau_number: int, filename: str,
                sepa: SepaLookup = sepa_debit_for, objet: str = "") -> bytes:
    """Build and validate a PES file (raises PesFileInvalid, AccountingSettingsIncomplete...)."""
    codes = _check_settings(settings, invoices)
    _check_debtors(invoices)
    content = pes.build(pes.PesInput(
        settings=settings, town_name=require_town().name, bordereau_number=bordereau_number,
        issued_on=town_today(), filename=filename, invoices=invoices, cod_prod_loc=codes, sepa=sepa, objet=objet,
    ))
    pes.validate(content)
    return content


@transaction.atomic
def pes_export_create(*, run_id: int | None = None, start: dt.date | None = None, end: dt.date | None = None,
                      user: Actor = None, sepa: SepaLookup = sepa_debit_for) -> ExportRecord:
    """The PES file of a run (or of the invoices issued between two dates), recorded with its file.

    The bordereau number is taken in the same transaction: a refused file does not consume one."""
    run, invoices = _selection(run_id, start, end)
    settings = AccountingSettings.objects.select_for_update().order_by("pk").first() or AccountingSettings()
    number = settings.last_bordereau_number + 1
    filename = f"PES_{settings.cod_col or 'X'}_{town_today():%Y%m%d}_{number:07d}.xml"
    if run is not None:
        objet = _("Facturation du %(start)s au %(end)s") % {"start": f"{run.period_start:%d/%m/%Y}",
                                                           "end": f"{run.period_end:%d/%m/%Y}"}
    else:
        objet = _("Factures émises du %(start)s au %(end)s") % {
            "start": f"{start:%d/%m/%Y}" if start else "…", "end": f"{end:%d/%m/%Y}" if end else "…"}
    content = pes_content(invoices=invoices, settings=settings, bordereau_number=number, filename=filename,
                          sepa=sepa, objet=objet)
    settings.last_bordereau_number = number
    settings.save(update_fields=["last_bordereau_number", "updated_at"])
    exported = [invoice for invoice in invoices if invoice.total > 0]
    return _record(kind=Kind.PES, content=content, filename=filename, invoices=exported, user=user, run=run,
                   start=start, end=end, bordereau_number=number)


@transaction.atomic
def invoices_export_create(*, fmt: str, run_id: int | None = None, start: dt.date | None = None,
                           end: dt.date | None = None, user: Actor = None) -> ExportRecord:
    """One row per invoice line, as CSV or XLSX."""
    run, invoices = _selection(run_id, start, end)
    rows = list(tabular.invoice_rows(invoices))
    stamp = f"{town_today():%Y%m%d}"
    if fmt == "xlsx":
        content = tabular.as_xlsx(tabular.invoice_header(), rows, title=_("Factures"))
        kind, filename = Kind.INVOICES_XLSX, f"factures_{stamp}.xlsx"
    else:
        content = tabular.as_csv(tabular.invoice_header(), rows)
        kind, filename = Kind.INVOICES_CSV, f"factures_{stamp}.csv"
    return _record(kind=kind, content=content, filename=filename, invoices=invoices, user=user, run=run,
                   start=start, end=end)


@transaction.atomic
def payments_export_create(*, fmt: str, start: dt.date, end: dt.date, user: Actor = None) -> ExportRecord:
    payments = list(selectors.payments_for(start=start, end=end))
    if not payments:
        raise NothingToExport(_("Aucun paiement sur cette période."))
    rows = list(tabular.payment_rows(payments))
    stamp = f"{start:%Y%m%d}_{end:%Y%m%d}"
    if fmt == "xlsx":
        content = tabular.as_xlsx(tabular.payment_header(), rows, title=_("Paiements"))
        kind, filename = Kind.PAYMENTS_XLSX, f"paiements_{stamp}.xlsx"
    else:
        content = tabular.as_csv(tabular.payment_header(), rows)
        kind, filename = Kind.PAYMENTS_CSV, f"paiements_{stamp}.csv"
    invoices = list({payment.invoice_id: payment.invoice for payment in payments}.values())
    record = _record(kind=kind, content=content, filename=filename, invoices=invoices, user=user, run=None,
                     start=start, end=end)
    record.total = sum((payment.amount for payment in payments), Decimal("0.00"))
    record.save(update_fields=["total"])
    return record


__all__ = ["SepaDebit", "accounting_settings_update", "invoices_export_create", "payments_export_create",
           "pes_content", "pes_export_create"]
