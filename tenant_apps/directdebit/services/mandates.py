"""Mandates: the parent's request, staff's validation or refusal, IBAN changes (amendments),
revocation; and the town's creditor settings."""

import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.accounts.actors import Actor, signed_in
from tenant_apps.core import files
from tenant_apps.core.clock import town_today
from tenant_apps.families.models import Household
from tenants.outbox.services import send_on_commit

from ..bank import bic_clean, iban_clean, iban_encrypt, iban_mask, ics_clean
from ..errors import (
    DirectDebitUnavailable,
    MandateAlreadyLive,
    MandateIncomplete,
    MandateStateRefused,
)
from ..models import DirectDebitSettings, Mandate, MandateAmendment

MANDATE_FOLDER = "mandates"
MANDATE_MAX_BYTES = 5 * 1024 * 1024
ONLY_PDF = {"application/pdf": "pdf"}


def rum_generate(household: Household) -> str:
    """A mandate reference (RUM) unique in the town: the household and a random part, so that a
    household's second mandate never reuses its first one's."""
    return f"PF{town_today():%Y%m}{household.pk:06d}{secrets.token_hex(4).upper()}"


def _household_address(household: Household) -> str:
    return "\n".join(part for part in [
        household.address_line, household.address_line2, f"{household.postcode} {household.city}".strip()] if part)


@transaction.atomic
def mandate_request(*, household: Household, requested_by: Actor = None, debtor_name: str, iban: str, bic: str = "",
                    debtor_address: str = "", document: UploadedFile | None = None, paper_form: bool = False,
                    signed_on: date | None = None) -> Mandate:
    """A parent asks to pay by direct debit: IBAN and BIC, and the signed mandate (a PDF), or the
    promise to bring the town's paper form. Staff validate it."""
    rules = DirectDebitSettings.current()
    if not rules.enabled:
        raise DirectDebitUnavailable()
    clean_iban = iban_clean(iban)
    clean_bic = bic_clean(bic, iban=clean_iban)
    debtor_name = " ".join((debtor_name or "").split())[:70]
    if not debtor_name:
        raise MandateIncomplete(_("Saisissez le nom du titulaire du compte."), code="debtor_name_missing")
    fields: dict = {}
    if not paper_form:
        if document is None:
            raise MandateIncomplete(
                _("Joignez le mandat signé (PDF), ou choisissez d'apporter le formulaire papier de la mairie."),
                code="mandate_document_missing")
        checked = files.check_upload(document, allowed=ONLY_PDF, max_bytes=MANDATE_MAX_BYTES)
        fields = {"document": files.store(checked, MANDATE_FOLDER), "document_name": checked.original_name}
    if Mandate.objects.select_for_update().filter(household=household, status__in=Mandate.LIVE).exists():
        raise MandateAlreadyLive()
    try:
        with transaction.atomic():
            mandate = Mandate.objects.create(
                household=household, rum=rum_generate(household), requested_by=signed_in(requested_by),
                debtor_name=debtor_name, debtor_address=(debtor_address or _household_address(household))[:500],
                iban_encrypted=iban_encrypt(clean_iban), iban_masked=iban_mask(clean_iban), bic=clean_bic,
                paper_form=paper_form, signed_on=None if paper_form else (signed_on or town_today()), **fields,
            )
    except IntegrityError as error:  # the same request twice at once
        raise MandateAlreadyLive() from error
    return mandate


def _locked(mandate: Mandate) -> Mandate:
    return Mandate.objects.select_for_update().get(pk=mandate.pk)


@transaction.atomic
def mandate_validate(*, mandate: Mandate, validated_by: Actor = None, signed_on: date | None = None) -> Mandate:
    """Staff accept the request: the mandate is active and the next invoices are debited."""
    mandate = _locked(mandate)
    if mandate.status != Mandate.Status.REQUESTED:
        raise MandateStateRefused()
    signed_on = signed_on or mandate.signed_on
    if signed_on is None:
        raise MandateIncomplete(_("Indiquez la date de signature du formulaire papier."), code="signed_on_missing")
    if signed_on > town_today():
        raise MandateIncomplete(_("La date de signature ne peut pas être dans le futur."), code="signed_on_future")
    mandate.status = Mandate.Status.ACTIVE
    mandate.signed_on = signed_on
    mandate.validated_by = signed_in(validated_by)
    mandate.validated_at = timezone.now()
    mandate.save()
    from ..tasks import notify_mandate_decision

    send_on_commit(notify_mandate_decision, mandate.pk)
    return mandate


@transaction.atomic
def mandate_refuse(*, mandate: Mandate, reason: str, refused_by: Actor = None) -> Mandate:
    mandate = _locked(mandate)
    if mandate.status != Mandate.Status.REQUESTED:
        raise MandateStateRefused()
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise MandateIncomplete(_("Indiquez le motif du refus : il est envoyé à la famille."), code="reason_missing")
    mandate.status = Mandate.Status.REFUSED
    mandate.refusal_reason = reason
    mandate.validated_by = signed_in(refused_by)
    mandate.validated_at = timezone.now()
    mandate.save()
    from ..tasks import notify_mandate_decision

    send_on_commit(notify_mandate_decision, mandate.pk)
    return mandate


@transaction.atomic
def mandate_revoke(*, mandate: Mandate) -> Mandate:
    """The family (or staff) ends the mandate: no further debit; debits already sent stay."""
    mandate = _locked(mandate)
    if mandate.status not in Mandate.LIVE:
        raise MandateStateRefused()
    mandate.status = Mandate.Status.REVOKED
    mandate.revoked_at = timezone.now()
    mandate.save()
    return mandate


@transaction.atomic
def mandate_reactivate(*, mandate: Mandate) -> Mandate:
    """Staff lift a suspension (after the family settled things): its reject count starts again."""
    mandate = _locked(mandate)
    if mandate.status != Mandate.Status.SUSPENDED:
        raise MandateStateRefused()
    mandate.status = Mandate.Status.ACTIVE
    mandate.rejects = 0
    mandate.suspended_at = None
    mandate.save()
    return mandate


@transaction.atomic
def mandate_change_account(*, mandate: Mandate, iban: str, bic: str = "", changed_by: Actor = None) -> MandateAmendment:
    """A new account on the same mandate (same RUM): an amendment the next debit reports to the bank."""
    mandate = _locked(mandate)
    if mandate.status not in (Mandate.Status.ACTIVE, Mandate.Status.SUSPENDED, Mandate.Status.REQUESTED):
        raise MandateStateRefused()
    clean_iban = iban_clean(iban)
    clean_bic = bic_clean(bic, iban=clean_iban)
    if clean_iban == mandate.iban:
        raise MandateIncomplete(_("C'est déjà l'IBAN de ce mandat."), code="iban_unchanged")
    amendment = MandateAmendment.objects.create(
        mandate=mandate, original_iban_encrypted=mandate.iban_encrypted, original_iban_masked=mandate.iban_masked,
        original_bic=mandate.bic, new_iban_masked=iban_mask(clean_iban), changed_by=signed_in(changed_by),
    )
    mandate.iban_encrypted = iban_encrypt(clean_iban)
    mandate.iban_masked = iban_mask(clean_iban)
    mandate.bic = clean_bic
    mandate.save()
    return amendment


def direct_debit_settings_check(*, enabled: bool, creditor_id: str, creditor_name: str, creditor_iban: str,
                                creditor_bic: str, collection_rule: str, collection_day: int,
                                rejection_fee: Decimal, suspend_after_rejects: int) -> dict:
    """The settings as they will be stored (identifiers in their electronic form), or the refusal."""
    creditor_name = " ".join((creditor_name or "").split())[:70]
    if enabled or creditor_id or creditor_iban:
        creditor_id = ics_clean(creditor_id)
        creditor_iban = iban_clean(creditor_iban)
        creditor_bic = bic_clean(creditor_bic, iban=creditor_iban)
        if not creditor_name:
            raise MandateIncomplete(_("Saisissez le nom du créancier."), code="creditor_name_missing")
    if collection_rule == DirectDebitSettings.CollectionRule.DAY_OF_NEXT_MONTH and not 1 <= collection_day <= 28:
        raise MandateIncomplete(_("Le jour de prélèvement doit être compris entre 1 et 28."), code="collection_day")
    if collection_rule == DirectDebitSettings.CollectionRule.DAYS_AFTER_ISSUE and not 2 <= collection_day <= 60:
        raise MandateIncomplete(_("Le délai doit être compris entre 2 et 60 jours."), code="collection_day")
    if rejection_fee < 0:
        raise MandateIncomplete(_("Les frais de rejet ne peuvent pas être négatifs."), code="rejection_fee")
    if suspend_after_rejects < 1:
        raise MandateIncomplete(_("Le nombre de rejets doit être d'au moins 1."), code="suspend_after_rejects")
    return {"enabled": enabled, "creditor_id": creditor_id, "creditor_name": creditor_name,
            "creditor_iban": creditor_iban, "creditor_bic": creditor_bic, "collection_rule": collection_rule,
            "collection_day": collection_day, "rejection_fee": rejection_fee,
            "suspend_after_rejects": suspend_after_rejects}


@transaction.atomic
def direct_debit_settings_update(**fields: Any) -> DirectDebitSettings:
    """The town's creditor settings (see `direct_debit_settings_check` for the fields)."""
    checked = direct_debit_settings_check(**fields)
    rules = DirectDebitSettings.objects.select_for_update().order_by("pk").first() or DirectDebitSettings()
    for name, value in checked.items():
        setattr(rules, name, value)
    rules.save()
    return rules
