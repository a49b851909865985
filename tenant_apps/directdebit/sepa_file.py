"""The pain.008.001.02 file of a batch of debits, built with `sepaxml` and validated against the
XSD it ships. Mandate amendments (a new account) are added to the transactions, which sepaxml
does not write, then the whole file is validated again."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from lxml import etree
from sepaxml import SepaDD
from sepaxml.validation import ValidationError, try_valid_xml

from .errors import SepaFileInvalid

SCHEMA = "pain.008.001.02"
NS = f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"


@dataclass(frozen=True)
class Creditor:
    name: str
    iban: str
    bic: str
    creditor_id: str


@dataclass(frozen=True)
class Amendment:
    original_iban: str
    original_bic: str


@dataclass(frozen=True)
class DebitLine:
    end_to_end_id: str
    amount: Decimal
    sequence: str  # FRST / RCUR
    collection_date: date
    rum: str
    signed_on: date
    debtor_name: str
    iban: str
    bic: str
    description: str
    amendment: Amendment | None = None
    amendment_other_bank: bool = False


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _sepa_text(text: str, size: int) -> str:
    """The SEPA character set (Latin letters, digits, / - ? : ( ) . , ' + and space)."""
    from text_unidecode import unidecode

    return re.sub(r"[^A-Za-z0-9/\-?:().,'+ ]", " ", unidecode(text))[:size].strip() or "-"


def build_pain008(creditor: Creditor, lines: list[DebitLine]) -> bytes:
    """The XML file, valid against the pain.008.001.02 XSD, or SepaFileInvalid saying why."""
    if not lines:
        raise SepaFileInvalid(_("Aucun prélèvement à mettre dans le fichier."))
    try:
        sepa = SepaDD({
            "name": _sepa_text(creditor.name, 70), "IBAN": creditor.iban, "BIC": creditor.bic, "batch": True,
            "creditor_id": creditor.creditor_id, "currency": "EUR",
        }, schema=SCHEMA, clean=True)
        for line in lines:
            sepa.add_payment({
                "name": _sepa_text(line.debtor_name, 70), "IBAN": line.iban, "BIC": line.bic,
                "amount": _cents(line.amount), "type": line.sequence, "collection_date": line.collection_date,
                "mandate_id": line.rum, "mandate_date": line.signed_on,
                "description": _sepa_text(line.description, 140), "endtoend_id": line.end_to_end_id,
            })
        xml = sepa.export(validate=False)
    except Exception as error:  # sepaxml refuses a config or a payment with a bare Exception
        raise SepaFileInvalid(_("Le fichier de prélèvement ne peut pas être construit : %(reason)s")
                              % {"reason": error}) from error
    if any(line.amendment for line in lines):
        xml = _with_amendments(xml, {line.end_to_end_id: line for line in lines if line.amendment})
    validate_pain008(xml)
    return xml


def validate_pain008(xml: bytes) -> None:
    try:
        try_valid_xml(xml, SCHEMA)
    except ValidationError as error:
        cause = error.__cause__
        reason = getattr(cause, "reason", None) or str(cause or error).splitlines()[0]
        path = getattr(cause, "path", "") or ""
        raise SepaFileInvalid(_("Le fichier ne respecte pas le schéma %(schema)s : %(reason)s %(path)s")
                              % {"schema": SCHEMA, "reason": reason, "path": path}) from error


def _el(tag: str, text: str | None = None, *children) -> etree._Element:
    element = etree.Element(f"{{{NS}}}{tag}")
    if text is not None:
        element.text = text
    element.extend(children)
    return element


def _with_amendments(xml: bytes, amended: dict[str, DebitLine]) -> bytes:
    """Add AmdmntInd and the original account (same bank) or SMNDA (another bank) to the
    transactions of amended mandates, right after the mandate's signature date."""
    root = etree.fromstring(xml)
    for tx in root.iter(f"{{{NS}}}DrctDbtTxInf"):
        e2e = tx.findtext(f"{{{NS}}}PmtId/{{{NS}}}EndToEndId")
        line = amended.get(e2e or "")
        if line is None or line.amendment is None:
            continue
        signed = tx.find(f"{{{NS}}}DrctDbtTx/{{{NS}}}MndtRltdInf/{{{NS}}}DtOfSgntr")
        if line.amendment_other_bank:
            details = _el("AmdmntInfDtls", None, _el("OrgnlDbtrAgt", None, _el(
                "FinInstnId", None, _el("Othr", None, _el("Id", "SMNDA")))))
        else:
            details = _el("AmdmntInfDtls", None, _el("OrgnlDbtrAcct", None, _el(
                "Id", None, _el("IBAN", line.amendment.original_iban))))
        signed.addnext(_el("AmdmntInd", "true"))
        signed.getnext().addnext(details)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(root, encoding="utf-8")
