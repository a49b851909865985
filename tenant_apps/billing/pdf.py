"""Invoice PDFs: the HTML from a template (in the process that reads the database), rendered by
WeasyPrint with a stylesheet shared by every invoice (pdf_worker, possibly in another process)."""

import base64
import logging
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from shared_apps.payments.selectors import provider_config_for_current_town
from tenant_apps.core.models import TownProfile
from tenants.current import require_town
from tenants.urls import town_url

from . import pdf_worker
from .hooks import settlement_notes
from .models import BillingSettings, Invoice, Payment

logger = logging.getLogger(__name__)

STYLESHEET = Path(__file__).resolve().parent / "pdf_assets" / "invoice.css"


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def _logo_data_uri(profile) -> str:
    """The town's logo, inlined (no network or storage access while rendering)."""
    logo = profile.logo if profile else None
    if not logo:
        return ""
    try:
        with logo.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        logger.warning("Town logo %s unreadable", getattr(logo, "name", ""))
        return ""
    mime = profile.logo_content_type or ("image/png" if logo.name.lower().endswith(".png") else "image/jpeg")
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def shared_context() -> dict[str, Any]:
    """What every invoice of the town prints alike (profile, logo, rules): read once for a batch."""
    profile = TownProfile.current()
    town = require_town()
    return {
        "profile": profile,
        "town": town,
        "logo": _logo_data_uri(profile),
        "settings": BillingSettings.current(),
        "online_payment": provider_config_for_current_town() is not None,
        "invoices_url": town_url(town, "billing:invoices"),
    }


def invoice_context(invoice: Invoice, shared: dict[str, Any] | None = None) -> dict:
    lines = list(invoice.lines.order_by("child_name", "service_name", "kind", "unit_price"))
    by_child = [(child, list(child_lines)) for child, child_lines in groupby(lines, key=lambda line: line.child_name)]
    return {
        **(shared if shared is not None else shared_context()),
        "invoice": invoice,
        "by_child": by_child,
        "credit_note": getattr(invoice, "credit_note", None) if hasattr(invoice, "credit_note") else None,
        "settlement": settlement_notes([invoice]).get(invoice.pk, ""),
    }


def render_invoice_html(invoice: Invoice, shared: dict[str, Any] | None = None) -> str:
    return render_to_string("billing/pdf/invoice.html", invoice_context(invoice, shared))


def render_invoice_document(invoice: Invoice) -> Any:
    """The laid-out document (WeasyPrint), for checks of the layout."""
    return pdf_worker.document(render_invoice_html(invoice), stylesheet())


def render_invoice_pdf(invoice: Invoice, shared: dict[str, Any] | None = None) -> bytes:
    return pdf_worker.render(render_invoice_html(invoice, shared), stylesheet())


def render_receipt_pdf(payment: Payment) -> bytes:
    """The receipt (reçu) of a payment received at the counter: rendered on demand, never stored."""
    from weasyprint import HTML

    profile = TownProfile.current()
    town = require_town()
    allocations = list(payment.allocations.select_related("invoice").order_by("created_at", "pk"))
    html = render_to_string("billing/pdf/receipt.html", {
        "payment": payment, "profile": profile, "town": town, "logo": _logo_data_uri(profile),
        "allocations": allocations, "household": payment.household,
        "unallocated": payment.amount - sum(a.amount for a in allocations),
    })
    return HTML(string=html, base_url=None).write_pdf()
