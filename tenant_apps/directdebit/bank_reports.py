"""The bank's reports of rejected debits, read from its files: pain.002 (payment status report,
transactions with TxSts RJCT) and camt.054 (debit notifications, returned transactions with RtrInf).
Only what is needed is read: the end-to-end id, the ISO reason code and the day."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from lxml import etree

from .errors import DebitNotRejectable

MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ReportedReject:
    end_to_end_id: str
    reason: str
    day: date | None


def _local(element) -> str:
    return etree.QName(element).localname


def _child(element, *path: str):
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if isinstance(c.tag, str) and _local(c) == name), None)
    return element


def _text(element, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _descendants(root, name: str):
    return (e for e in root.iter() if isinstance(e.tag, str) and _local(e) == name)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def rejects_from_bank_file(content: bytes) -> list[ReportedReject]:
    """The rejects a pain.002 or camt.054 file reports, or DebitNotRejectable saying the file is not one."""
    if len(content) > MAX_BYTES:
        raise DebitNotRejectable(_("Le fichier de la banque dépasse 5 Mo."), code="bank_file_too_large")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise DebitNotRejectable(_("Ce fichier n'est pas un fichier XML de la banque."), code="bank_file_invalid") from error
    document = _child(root, "CstmrPmtStsRpt") if _local(root) == "Document" else None
    if document is not None:  # pain.002
        created = _day(_text(document, "GrpHdr", "CreDtTm"))
        return [
            ReportedReject(_text(tx, "OrgnlEndToEndId"), _text(tx, "StsRsnInf", "Rsn", "Cd"), created)
            for tx in _descendants(document, "TxInfAndSts") if _text(tx, "TxSts") == "RJCT"
        ]
    notification = _child(root, "BkToCstmrDbtCdtNtfctn") if _local(root) == "Document" else None
    if notification is not None:  # camt.054
        found = []
        for entry in _descendants(notification, "Ntry"):
            day = _day(_text(entry, "BookgDt", "Dt")) or _day(_text(entry, "ValDt", "Dt"))
            for tx in _descendants(entry, "TxDtls"):
                returned = _child(tx, "RtrInf")
                if returned is not None:
                    found.append(ReportedReject(_text(tx, "Refs", "EndToEndId"), _text(returned, "Rsn", "Cd"), day))
        return found
    raise DebitNotRejectable(_("Ce fichier n'est ni un pain.002 ni un camt.054 de la banque."),
                             code="bank_file_unknown")
