"""The PES V2 "PES_Aller" file of a set of invoices: one ORMC bordereau (rôle), one title per
invoice, one line per invoice line, the payer as debtor, SEPA data for direct debit, and the
invoice PDFs as attached documents. The file is ISO-8859-1, text in upper case without
accents, and validated against the DGFiP schema (vendored under xsd/) before anyone gets it.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from .errors import PesFileInvalid
from .keys import cle1, cle2
from .models import AccountingSettings
from .sepa import SepaDebit

NS_ALLER = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller"
XSD = Path(__file__).resolve().parent / "xsd" / "PES_V2" / "Rev0" / "PES_Aller.xsd"
PERIOD = "1"  # one debt per invoice: the article's first (and only) period
SEQUENCE_CODES = {"OOFF": "01", "FRST": "02", "RCUR": "03", "FNAL": "04", "FIRST": "02", "RECURRENT": "03"}


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def postal(text: str, length: int) -> str:
    """Upper case, no accents, no line breaks, at most `length` characters (postal norm)."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", plain).strip().upper()[:length].strip()


def sepa_text(text: str, length: int) -> str:
    """Only the characters the SEPA fields allow."""
    return re.sub(r"[^0-9A-Za-z/?:()., \-+']", " ", postal(text, length)).strip()


def amount(value: Decimal) -> str:
    return f"{value:.2f}"


@dataclass(frozen=True)
class PesInput:
    """What a PES file is built from: settings, the bordereau, the invoices and their SEPA data."""

    settings: AccountingSettings
    town_name: str
    bordereau_number: int
    issued_on: dt.date
    filename: str
    invoices: list
    cod_prod_loc: dict[int, str]  # service id -> CodProdLoc
    sepa: Callable[[Any], SepaDebit | None]
    objet: str = ""
    attach_pdfs: bool = True


def _v(parent, tag: str, value) -> etree._Element:
    return etree.SubElement(parent, tag, V=str(value))


def _split_name(payer_name: str) -> tuple[str, str]:
    """"Marie DE LA FONTAINE" -> ("DE LA FONTAINE", "Marie"): invoices print the family name in
    capitals after the first name; without capitals, the last word is the family name."""
    words = payer_name.split()
    capitals = 0
    while capitals < len(words) - 1 and words[-1 - capitals].isupper():
        capitals += 1
    capitals = capitals or (1 if len(words) > 1 else 0)
    if not capitals:
        return payer_name, ""
    return " ".join(words[-capitals:]), " ".join(words[:-capitals])


def _address(invoice) -> tuple[str, str, str]:
    """(street line, postcode, town) of the payer snapshot, falling back to the household."""
    household = invoice.household
    lines = [line for line in (invoice.payer_address or "").splitlines() if line.strip()]
    match = next((re.match(r"^\s*(\d{5})\s+(.+)$", line) for line in reversed(lines)
                  if re.match(r"^\s*\d{5}\s", line)), None)
    if match and lines:
        street = next((line for line in lines if not re.match(r"^\s*\d{5}\s", line)), household.address_line)
        return street, match.group(1), match.group(2)
    return household.address_line, household.postcode, household.city


def _tiers(parent, invoice, debit: SepaDebit | None) -> None:
    tiers = etree.SubElement(parent, "Tiers")
    info = etree.SubElement(tiers, "InfoTiers")
    _v(info, "RefTiers", f"FOYER{invoice.household_id}")
    _v(info, "CatTiers", "01")
    _v(info, "NatJur", "01")
    _v(info, "TypTiers", "01")
    last_name, first_name = _split_name(invoice.payer_name)
    _v(info, "Nom", postal(last_name, 38))
    if first_name:
        _v(info, "Prenom", postal(first_name, 38))
    street, postcode, city = _address(invoice)
    address = etree.SubElement(tiers, "Adresse")
    _v(address, "TypAdr", "1")
    _v(address, "Adr2", postal(street, 38))
    _v(address, "CP", postcode)
    if city:
        _v(address, "Ville", postal(city, 38))
    _v(address, "CodRes", "0")
    if debit is not None:
        bank = etree.SubElement(tiers, "CpteBancaire")
        _v(bank, "BIC", debit.bic.replace(" ", "").upper())
        _v(bank, "IBAN", debit.iban.replace(" ", "").upper())
        _v(bank, "TitCpte", postal(debit.debtor_name or invoice.payer_name, 32))


def _sepa_block(parent, invoice, line_amount: Decimal, debit: SepaDebit) -> None:
    block = etree.SubElement(parent, "InfoPrelevementSEPA")
    _v(block, "NatPrel", "01")
    _v(block, "PerPrel", "07")
    _v(block, "DtePrel", invoice.due_on.isoformat())
    _v(block, "MtPrel", amount(line_amount))
    _v(block, "SequencePres", SEQUENCE_CODES.get(debit.sequence.upper(), "03"))
    _v(block, "DateSignMandat", debit.signed_on.isoformat())
    _v(block, "RefUniMdt", sepa_text(debit.rum, 35))
    _v(block, "LibPrel", sepa_text(_("Facture %(number)s") % {"number": invoice.number}, 140))


def _pj_id(data: PesInput, invoice) -> str:
    return f"PF{data.settings.cod_col}{data.issued_on:%Y}{invoice.sequence:08d}"


def _piece(bordereau, data: PesInput, invoice) -> None:
    settings = data.settings
    debit = data.sepa(invoice)
    piece = etree.SubElement(bordereau, "Piece")
    bloc = etree.SubElement(piece, "BlocPiece")
    _v(bloc, "IdPce", invoice.sequence)
    _v(bloc, "TypPce", "15")
    _v(bloc, "NatPce", "01")
    period = f"{invoice.period_start:%d/%m/%Y} AU {invoice.period_end:%d/%m/%Y}"
    _v(bloc, "ObjPce", postal(f"FACTURE {invoice.number} DU {period}", 160))
    debt = int(invoice.number) if invoice.number.isdigit() else invoice.sequence
    _v(bloc, "NumDette", debt)
    _v(bloc, "Per", PERIOD)
    year = settings.fiscal_year or invoice.issued_on.year
    _v(bloc, "Cle1", cle1(cod_col=settings.cod_col, nature_code=settings.ormc_nature_code, year=year,
                          period=PERIOD, debt_number=debt))
    _v(bloc, "Cle2", cle2(year=year, period=PERIOD, debt_number=debt))
    if data.attach_pdfs and invoice.pdf:
        ref = etree.SubElement(bloc, "PJRef")
        _v(ref, "Support", "01")
        _v(ref, "IdUnique", _pj_id(data, invoice))
        _v(ref, "NomPJ", f"facture-{invoice.number}.pdf")
    for index, line in enumerate((line for line in invoice.lines.all() if line.amount > 0), start=1):
        ligne = etree.SubElement(piece, "LigneDePiece")
        bloc_ligne = etree.SubElement(ligne, "BlocLignePiece")
        info = etree.SubElement(bloc_ligne, "InfoLignePiece")
        _v(info, "IdLigne", index)
        label = f"{line.child_name} - {line.service_name} - {line.quantity} X {amount(line.unit_price)}"
        _v(info, "ObjLignePce", postal(label, 160))
        _v(info, "CodProdLoc", data.cod_prod_loc[line.service_id])
        _v(info, "Nature", settings.nature)
        _v(info, "Majo", "0")
        _v(info, "TvaIntraCom", "0")
        _v(info, "MtHT", amount(line.amount))
        if debit is not None:
            _sepa_block(bloc_ligne, invoice, line.amount, debit)
        if settings.regie:
            liens = etree.SubElement(bloc_ligne, "LiensIdent")
            _v(liens, "IdRegie", postal(settings.regie, 10))
        _tiers(ligne, invoice, debit)


def _attachments(root, data: PesInput, invoices: Iterable) -> None:
    with_pdf = [invoice for invoice in invoices if data.attach_pdfs and invoice.pdf]
    if not with_pdf:
        return
    pes_pj = etree.SubElement(root, "PES_PJ")
    _v(etree.SubElement(pes_pj, "EnTetePES_PJ"), "IdVer", "1")
    for invoice in with_pdf:
        pj = etree.SubElement(pes_pj, "PJ")
        contenu = etree.SubElement(pj, "Contenu")
        with invoice.pdf.open("rb") as stream:
            packed = gzip.compress(stream.read(), mtime=0)
        fichier = etree.SubElement(contenu, "Fichier", MIMEType="application/pdf")
        fichier.text = base64.b64encode(packed).decode()
        _v(pj, "IdUnique", _pj_id(data, invoice))
        _v(pj, "NomPJ", f"facture-{invoice.number}.pdf")
        _v(pj, "TypePJ", "002")
        _v(pj, "Description", postal(f"FACTURE {invoice.number} {invoice.payer_name}", 250))
        ref = etree.SubElement(pj, "RefCompta")
        _v(ref, "Domaine", "02")
        _v(ref, "Exercice", data.settings.fiscal_year or invoice.issued_on.year)
        _v(ref, "TypeObjet", "01")
        _v(ref, "Identifiant", invoice.sequence)


def build(data: PesInput) -> bytes:
    """The PES_Aller document of `data`, encoded in ISO-8859-1 (not validated: see `validate`)."""
    settings = data.settings
    invoices = [invoice for invoice in data.invoices if invoice.total > 0]
    root = etree.Element(f"{{{NS_ALLER}}}PES_Aller", nsmap={"n": NS_ALLER})
    parametres = etree.SubElement(etree.SubElement(root, "Enveloppe"), "Parametres")
    _v(parametres, "Version", "1")
    _v(parametres, "TypFic", "PESORMC")
    _v(parametres, "NomFic", data.filename)
    entete = etree.SubElement(root, "EnTetePES")
    _v(entete, "DteStr", data.issued_on.isoformat())
    _v(entete, "IdPost", settings.id_post)
    if settings.post_label:
        _v(entete, "LibellePoste", postal(settings.post_label, 38))
    _v(entete, "IdColl", settings.id_coll)
    _v(entete, "CodCol", settings.cod_col)
    if settings.cod_bud:
        _v(entete, "CodBud", settings.cod_bud)
    _v(entete, "LibelleColBud", postal(data.town_name, 38))
    recette = etree.SubElement(root, "PES_RecetteAller")
    en_tete_recette = etree.SubElement(recette, "EnTeteRecette")
    _v(en_tete_recette, "IdVer", "2")
    _v(en_tete_recette, "InfoDematerialisee", "0")
    bordereau = etree.SubElement(recette, "Bordereau")
    bloc = etree.SubElement(bordereau, "BlocBordereau")
    _v(bloc, "Exer", settings.fiscal_year or data.issued_on.year)
    _v(bloc, "IdBord", data.bordereau_number)
    _v(bloc, "DteBordEm", data.issued_on.isoformat())
    _v(bloc, "TypBord", "06")
    _v(bloc, "NbrPce", len(invoices))
    _v(bloc, "MtBordHt", amount(sum((invoice.total for invoice in invoices), Decimal("0.00"))))
    if data.objet:
        _v(bloc, "Objet", postal(data.objet, 160))
    for invoice in invoices:
        _piece(bordereau, data, invoice)
    _attachments(root, data, invoices)
    return etree.tostring(root, xml_declaration=True, encoding="ISO-8859-1", pretty_print=True)


def validate(content: bytes) -> None:
    """Refuse a file the DGFiP schema rejects, saying where and why (the first errors)."""
    try:
        document = etree.fromstring(content)
    except etree.XMLSyntaxError as error:
        raise PesFileInvalid(_("Le fichier PES est mal formé : %(error)s") % {"error": error}) from None
    validator = schema()
    if validator.validate(document):
        return
    problems = list(dict.fromkeys(f"{error.path} (ligne {error.line}) : {error.message}"
                                  for error in validator.error_log))[:5]
    raise PesFileInvalid(
        _("Le fichier PES ne respecte pas le schéma de la DGFiP, il n'est pas proposé au téléchargement. %(problems)s")
        % {"problems": " ; ".join(problems)}
    )
