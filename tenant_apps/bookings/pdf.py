"""The printable attendance sheet (pointage): HTML laid out by WeasyPrint into an A4 PDF."""

import datetime as dt

from django.template.loader import render_to_string

from tenant_apps.catalog.models import Service

from .selectors import attendance_sheet


def attendance_sheet_html(*, service: Service, day: dt.date, town) -> str:
    rows = attendance_sheet(service, day)
    return render_to_string("bookings/staff/attendance_pdf.html",
                            {"day": day, "service": service, "rows": rows, "town": town})


def attendance_sheet_pdf(*, service: Service, day: dt.date, town) -> bytes:
    from weasyprint import HTML

    return HTML(string=attendance_sheet_html(service=service, day=day, town=town)).write_pdf()
