"""Invoice PDFs, rendered by WeasyPrint from an HTML template."""

import base64
import logging
from itertools import groupby

from django.template.loader import render_to_string

from shared_apps.payments.selectors import provider_config_for_current_town
from tenant_apps.core.models import TownProfile
from tenants.current import require_town
from tenants.urls import town_url

from .models import BillingSettings, Invoice, Payment

logger = logging.getLogger(__name__)


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


def invoice_context(invoice: Invoice) -> dict:
    profile = TownProfile.current()
    town = require_town()
    lines = list(invoice.lines.order_by("child_name", "service_name", "kind", "unit_price"))
    by_child = [(child, list(child_lines)) for child, child_lines in groupby(lines, key=lambda line: line.child_name)]
    return {
        "invoice": invoice,
        "profile": profile,
        "town": town,
        "logo": _logo_data_uri(profile),
        "by_child": by_child,
        "credit_note": getattr(invoice, "credit_note", None) if hasattr(invoice, "credit_note") else None,
        "settings": BillingSettings.current(),
        "online_payment": provider_config_for_current_town() is not None,
        "invoices_url": town_url(town, "billing:invoices"),
    }


def render_invoice_pdf(invoice: Invoice) -> bytes:
    from weasyprint import HTML

    html = render_to_string("billing/pdf/invoice.html", invoice_context(invoice))
    return HTML(string=html, base_url=None).write_pdf()


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
