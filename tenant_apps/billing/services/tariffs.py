"""Tariffs and the town's billing rules: staff pages, the town admin and tests all go through
these. A price already billed is history: a tariff used by a live invoice can only be closed
(see selectors.last_invoiced_day)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.catalog.models import Service

from ..errors import (
    InvalidAmount,
    InvalidBillingSettings,
    InvalidBrackets,
    InvalidValidity,
    TariffCloseTooEarly,
    TariffFlatAndBrackets,
    TariffInUse,
    TariffInvoicingInProgress,
    TariffOverlap,
    TariffPriceMissing,
)
from ..models import BillingSettings, InvoiceRun, Tariff, TariffBracket
from ..selectors import last_invoiced_day, overlapping_tariffs, tariff_in_use
from .invoicing import RUN_TIME_LIMIT

MAX_PRICE = Decimal("999999.99")  # Tariff.unit_price / TariffBracket.price: 8 digits, 2 decimals


@dataclass(frozen=True)
class BracketInput:
    """One QF bracket as staff enter it: QF from qf_min to qf_max (inclusive; None: no upper bound)."""

    qf_min: int
    qf_max: int | None
    price: Decimal


def _checked_amount(value: object, *, field: str, index: int | None = None, what: str = "") -> Decimal:
    label = what or _("Le prix")
    if isinstance(value, float) or value is None:
        raise InvalidAmount(_("%(what)s doit être un montant en euros.") % {"what": label}, field=field, index=index)
    try:
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except ArithmeticError:
        raise InvalidAmount(_("%(what)s doit être un montant en euros.") % {"what": label},
                            field=field, index=index) from None
    if not amount.is_finite():
        raise InvalidAmount(_("%(what)s doit être un montant en euros.") % {"what": label}, field=field, index=index)
    if amount < 0:
        raise InvalidAmount(_("%(what)s ne peut pas être négatif.") % {"what": label}, field=field, index=index)
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidAmount(_("%(what)s a au plus deux décimales (centimes).") % {"what": label},
                            field=field, index=index)
    if amount > MAX_PRICE:
        raise InvalidAmount(_("%(what)s dépasse le maximum accepté.") % {"what": label}, field=field, index=index)
    return amount.quantize(Decimal("0.01"))


def _checked_brackets(brackets: Iterable[BracketInput]) -> list[BracketInput]:
    """Brackets sorted by QF, contiguous from QF 0 with the last one open-ended, each priced.
    Errors name the row as staff entered it (`index`, 0-based, in their order)."""
    rows = []
    for index, bracket in enumerate(brackets):
        number = index + 1
        if bracket.qf_min is None or bracket.qf_min < 0:
            raise InvalidBrackets(_("Tranche n° %(n)s : indiquez le QF de début (0 ou plus).") % {"n": number},
                                  field="qf_min", index=index)
        if bracket.qf_max is not None and bracket.qf_max < bracket.qf_min:
            raise InvalidBrackets(
                _("Tranche n° %(n)s : elle finit (QF %(max)s) avant de commencer (QF %(min)s).")
                % {"n": number, "max": bracket.qf_max, "min": bracket.qf_min}, field="qf_max", index=index)
        price = _checked_amount(bracket.price, field="price", index=index,
                                what=_("Le prix de la tranche n° %(n)s") % {"n": number})
        rows.append((index, BracketInput(qf_min=int(bracket.qf_min), qf_max=bracket.qf_max, price=price)))
    rows.sort(key=lambda row: row[1].qf_min)
    first_index, first = rows[0]
    if first.qf_min != 0:
        raise InvalidBrackets(
            _("La première tranche doit commencer au QF 0 (elle commence au QF %(min)s) : "
              "sinon les plus petits quotients n'ont pas de prix.") % {"min": first.qf_min},
            field="qf_min", index=first_index)
    for (prev_index, prev), (index, bracket) in zip(rows, rows[1:], strict=False):
        if prev.qf_max is None:
            raise InvalidBrackets(
                _("Seule la dernière tranche peut être sans limite haute : la tranche qui commence au QF %(min)s "
                  "doit finir avant le QF %(next)s.") % {"min": prev.qf_min, "next": bracket.qf_min},
                field="qf_max", index=prev_index)
        if bracket.qf_min <= prev.qf_max:
            raise InvalidBrackets(
                _("Les tranches se chevauchent : le QF %(qf)s est dans deux tranches. "
                  "La tranche suivante doit commencer au QF %(expected)s.")
                % {"qf": bracket.qf_min, "expected": prev.qf_max + 1}, field="qf_min", index=index)
        if bracket.qf_min > prev.qf_max + 1:
            raise InvalidBrackets(
                _("Il manque une tranche : aucun prix pour les QF de %(gap_from)s à %(gap_to)s. "
                  "La tranche suivante doit commencer au QF %(expected)s.")
                % {"gap_from": prev.qf_max + 1, "gap_to": bracket.qf_min - 1, "expected": prev.qf_max + 1},
                field="qf_min", index=index)
    last_index, last = rows[-1]
    if last.qf_max is not None:
        raise InvalidBrackets(
            _("La dernière tranche doit être sans limite haute (laissez « QF jusqu'à » vide) : "
              "elle s'arrête au QF %(max)s et les quotients au-delà n'auraient pas de prix.") % {"max": last.qf_max},
            field="qf_max", index=last_index)
    return [bracket for _index, bracket in rows]


def _checked_prices(unit_price: object, brackets: Iterable[BracketInput] | None,
                    ) -> tuple[str, Decimal | None, list[BracketInput]]:
    brackets = list(brackets or ())
    if unit_price is not None and brackets:
        raise TariffFlatAndBrackets()
    if unit_price is None and not brackets:
        raise TariffPriceMissing()
    if unit_price is not None:
        return Tariff.Mode.FLAT, _checked_amount(unit_price, field="unit_price"), []
    return Tariff.Mode.FAMILY_QUOTIENT, None, _checked_brackets(brackets)


def _check_validity(valid_from: date, valid_until: date | None) -> None:
    if valid_from is None:
        raise InvalidValidity(_("Indiquez la date de début de validité."), field="valid_from")
    if valid_until is not None and valid_until < valid_from:
        raise InvalidValidity()


def _check_no_overlap(*, service_id: int, valid_from: date, valid_until: date | None,
                      exclude_id: int | None = None) -> None:
    other = overlapping_tariffs(service_id=service_id, start=valid_from, end=valid_until, exclude_id=exclude_id).first()
    if other is not None:
        raise TariffOverlap(
            _("Le tarif « %(tariff)s » de cette prestation est déjà valable %(period)s : deux tarifs d'une même "
              "prestation ne peuvent pas se chevaucher. Changez les dates, ou clôturez d'abord ce tarif.")
            % {"tariff": other.label or other.service.name, "period": other.period_label},
            field="valid_until" if other.valid_from > valid_from else "valid_from",
        )


def _lock_service(service_id: int) -> None:
    """Tariff writes of one service are serialised (two staff creating overlapping tariffs at once)."""
    Service.objects.select_for_update().filter(pk=service_id).first()


def _check_no_active_run(start: date, end: date | None) -> None:
    """A run prices from the tariffs it loaded when it started: changing one under it would
    issue invoices at a price the tariff no longer shows."""
    active = InvoiceRun.objects.filter(
        status__in=[InvoiceRun.Status.PENDING, InvoiceRun.Status.RUNNING], period_end__gte=start,
        created_at__gte=timezone.now() - RUN_TIME_LIMIT,
    )
    if end is not None:
        active = active.filter(period_start__lte=end)
    if active.exists():
        raise TariffInvoicingInProgress()


def _write_brackets(tariff: Tariff, brackets: list[BracketInput]) -> None:
    tariff.brackets.all().delete()
    TariffBracket.objects.bulk_create([
        TariffBracket(tariff=tariff, qf_min=b.qf_min, qf_max=b.qf_max, price=b.price) for b in brackets
    ])


@transaction.atomic
def tariff_create(
    *,
    service: Service,
    valid_from: date,
    valid_until: date | None = None,
    unit_price: Decimal | None = None,
    brackets: Sequence[BracketInput] = (),
    label: str = "",
) -> Tariff:
    """A new price of `service` from `valid_from`: a flat unit price or QF brackets, never both."""
    _check_validity(valid_from, valid_until)
    mode, unit_price, checked = _checked_prices(unit_price, brackets)
    _lock_service(service.pk)
    _check_no_overlap(service_id=service.pk, valid_from=valid_from, valid_until=valid_until)
    tariff = Tariff.objects.create(service=service, label=label.strip(), valid_from=valid_from,
                                   valid_until=valid_until, mode=mode, unit_price=unit_price)
    _write_brackets(tariff, checked)
    return tariff


def _same_prices(tariff: Tariff, mode: str, unit_price: Decimal | None, brackets: list[BracketInput]) -> bool:
    stored = [BracketInput(qf_min=b.qf_min, qf_max=b.qf_max, price=b.price) for b in tariff.brackets.order_by("qf_min")]
    return tariff.mode == mode and tariff.unit_price == unit_price and stored == brackets


def _check_close(tariff: Tariff, valid_until: date | None) -> None:
    """A tariff may not stop before a day it already billed."""
    if valid_until is None or (tariff.valid_until is not None and valid_until >= tariff.valid_until):
        return
    last = last_invoiced_day(service_id=tariff.service_id, start=tariff.valid_from, end=tariff.valid_until)
    if last is not None and valid_until < last:
        raise TariffCloseTooEarly(
            _("Ce tarif a déjà été facturé jusqu'au %(last)s : il ne peut pas finir avant cette date.")
            % {"last": f"{last:%d/%m/%Y}"})


@transaction.atomic
def tariff_update(
    *,
    tariff: Tariff,
    valid_from: date,
    valid_until: date | None,
    unit_price: Decimal | None = None,
    brackets: Sequence[BracketInput] = (),
    label: str = "",
) -> Tariff:
    """Change a tariff. Once a live invoice used it, only its label and end date may change
    (`tariff_in_use`): a new price is a new tariff, so issued invoices keep theirs."""
    _check_validity(valid_from, valid_until)
    mode, unit_price, checked = _checked_prices(unit_price, brackets)
    _lock_service(tariff.service_id)
    tariff = Tariff.objects.select_for_update().get(pk=tariff.pk)
    prices_or_start_change = valid_from != tariff.valid_from or not _same_prices(tariff, mode, unit_price, checked)
    if prices_or_start_change or valid_until != tariff.valid_until:
        _check_no_active_run(min(valid_from, tariff.valid_from), None)
    if prices_or_start_change and tariff_in_use(tariff):
        raise TariffInUse()
    _check_close(tariff, valid_until)
    _check_no_overlap(service_id=tariff.service_id, valid_from=valid_from, valid_until=valid_until,
                      exclude_id=tariff.pk)
    tariff.label, tariff.valid_from, tariff.valid_until = label.strip(), valid_from, valid_until
    tariff.mode, tariff.unit_price = mode, unit_price
    tariff.save(update_fields=["label", "valid_from", "valid_until", "mode", "unit_price"])
    if prices_or_start_change:
        _write_brackets(tariff, checked)
    return tariff


@transaction.atomic
def tariff_close(*, tariff: Tariff, valid_until: date) -> Tariff:
    """End the tariff's validity on `valid_until` (its last day), e.g. before a new price.
    Allowed on a tariff already used by invoices, as long as no billed day falls after it."""
    _lock_service(tariff.service_id)
    tariff = Tariff.objects.select_for_update().get(pk=tariff.pk)
    if valid_until is None:
        raise InvalidValidity(_("Indiquez le dernier jour de validité."))
    if valid_until < tariff.valid_from:
        raise InvalidValidity(
            _("Le dernier jour de validité ne peut pas précéder son début (%(start)s).")
            % {"start": f"{tariff.valid_from:%d/%m/%Y}"})
    _check_no_active_run(min(valid_until, tariff.valid_until or valid_until), None)
    _check_close(tariff, valid_until)
    _check_no_overlap(service_id=tariff.service_id, valid_from=tariff.valid_from, valid_until=valid_until,
                      exclude_id=tariff.pk)
    tariff.valid_until = valid_until
    tariff.save(update_fields=["valid_until"])
    return tariff


MAX_SURCHARGE_PERCENT = Decimal(100)
MAX_PAYMENT_DUE_DAYS = 365


def billing_settings_check(
    *, unbooked_surcharge_percent: Decimal, payment_due_days: int, collection_office: str = "", **_flags: Any
) -> Decimal:
    """Validate the billing rules (the admin form calls it too); returns the checked surcharge."""
    surcharge = _checked_amount(unbooked_surcharge_percent, field="unbooked_surcharge_percent",
                                what=_("La majoration"))
    if surcharge > MAX_SURCHARGE_PERCENT:
        raise InvalidBillingSettings(_("La majoration ne peut pas dépasser 100 %."),
                                     field="unbooked_surcharge_percent")
    if payment_due_days is None or not 0 <= payment_due_days <= MAX_PAYMENT_DUE_DAYS:
        raise InvalidBillingSettings(_("Le délai de paiement va de 0 à 365 jours."), field="payment_due_days")
    if len(collection_office or "") > 300:
        raise InvalidBillingSettings(_("300 caractères au plus."), field="collection_office")
    return surcharge


@transaction.atomic
def billing_settings_update(
    *,
    bill_unjustified_absences: bool,
    bill_unbooked_attendance: bool,
    unbooked_surcharge_percent: Decimal,
    payment_due_days: int,
    collection_office: str = "",
    reminder_first_days: int | None = None,
    reminder_second_days: int | None = None,
) -> BillingSettings:
    """The town's billing rules. They apply to the next invoicing runs; issued invoices keep
    the amounts and due dates they were issued with."""
    surcharge = billing_settings_check(unbooked_surcharge_percent=unbooked_surcharge_percent,
                                       payment_due_days=payment_due_days, collection_office=collection_office)
    rules = BillingSettings.objects.select_for_update().order_by("pk").first() or BillingSettings()
    rules.bill_unjustified_absences = bill_unjustified_absences
    rules.bill_unbooked_attendance = bill_unbooked_attendance
    rules.unbooked_surcharge_percent = surcharge
    rules.payment_due_days = payment_due_days
    rules.collection_office = (collection_office or "").strip()
    # Reminder delays: None keeps the current ones (a caller that does not deal with reminders).
    if reminder_first_days is not None:
        rules.reminder_first_days = reminder_first_days
    if reminder_second_days is not None:
        rules.reminder_second_days = reminder_second_days
    if rules.reminder_first_days and rules.reminder_second_days and \
            rules.reminder_second_days <= rules.reminder_first_days:
        raise InvalidBillingSettings(_("La seconde relance doit venir après la première."),
                                     field="reminder_second_days")
    rules.save()
    return rules
