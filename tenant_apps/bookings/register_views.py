"""Staff screens of the register on a tablet: one tap per child (htmx, one POST answering the row and
the counts), "Tous présents", walk-ins, and the monthly attendance summary (CSV, PDF)."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tenant_apps.catalog.models import Service, school_year_of
from tenant_apps.core.clock import town_today
from tenant_apps.core.csv_export import csv_download
from tenant_apps.core.french import after_colon
from tenant_apps.core.permissions import staff_required
from tenant_apps.families.models import Child
from tenants.errors import DomainError

from . import register, services
from .models import Booking, BookingChange
from .selectors import attendance_sheet
from .staff_views import _day_and_service, walk_in_add


def _register_url(day: dt.date, service: Service) -> str:
    return f"{reverse('bookings_staff:register')}?date={day.isoformat()}&service={service.pk}"


def _row_context(row) -> dict:
    return {"row": row, "next": register.next_on_tap(row.booking.attendance)}


@staff_required
def register_page(request):
    day, service, all_services = _day_and_service(request, request.GET)
    if service is None:
        return render(request, "bookings/staff/register.html", {"day": day, "services": all_services})
    rows = attendance_sheet(service, day)
    booked_ids = {row.child.pk for row in rows}
    candidates = [c for c in Child.objects.filter(enrolments__service=service,
                                                  enrolments__school_year=school_year_of(day))
                  .order_by("last_name", "first_name").distinct() if c.pk not in booked_ids]
    return render(request, "bookings/staff/register.html", {
        "day": day, "service": service, "services": all_services,
        "rows": [_row_context(row) for row in rows], "counts": register.register_counts(service, day),
        "walk_in_candidates": candidates,
    })


@staff_required
@require_POST
def register_tap(request):
    """One tap: the child's attendance becomes the one the button asked for (idempotent on retry)."""
    booking_id = request.POST.get("booking", "")
    if not booking_id.isdigit():
        raise Http404(_("Réservation inconnue."))
    booking = get_object_or_404(Booking.objects.select_related("service", "child"), pk=int(booking_id),
                                status=Booking.Status.BOOKED)
    error = ""
    try:
        services.attendance_mark(booking=booking, attendance=request.POST.get("attendance", ""), actor=request.user,
                                 source=BookingChange.Source.REGISTER)
    except DomainError as refused:
        error = after_colon(refused.message)
    if not request.htmx:
        if error:
            messages.error(request, _("%(child)s : %(error)s") % {"child": booking.child, "error": error})
        return redirect(_register_url(booking.date, booking.service) + f"#register-row-{booking.pk}")
    row = attendance_sheet(booking.service, booking.date, only=booking.pk)[0]
    return render(request, "bookings/staff/_register_tap.html", {
        **_row_context(row), "error": error, "counts": register.register_counts(booking.service, booking.date)})


@staff_required
@require_POST
def register_all_present(request):
    day, service, _all = _day_and_service(request, request.POST)
    if service is None:
        raise Http404(_("Aucune prestation."))
    changed = register.register_all_present(service=service, day=day, actor=request.user)
    text = ngettext("%(n)d enfant marqué présent.", "%(n)d enfants marqués présents.", changed) % {"n": changed}
    if not request.htmx:
        messages.success(request, text)
        return redirect(_register_url(day, service))
    return render(request, "bookings/staff/_register_all.html", {
        "rows": [_row_context(row) for row in attendance_sheet(service, day)], "done": text,
        "counts": register.register_counts(service, day)})


@staff_required
@require_POST
def register_walk_in(request):
    day, service = walk_in_add(request, source=BookingChange.Source.REGISTER,
                               done=_("%(child)s : présence sans réservation enregistrée."))
    return redirect(_register_url(day, service))


# --- the monthly summary -------------------------------------------------------------------------

def _month_and_service(request) -> tuple[int, int, Service]:
    today = town_today()
    year, month = today.year, today.month
    value = request.GET.get("mois", "")
    try:
        parsed = dt.date.fromisoformat(f"{value}-01")
        year, month = parsed.year, parsed.month
    except ValueError:
        pass
    service_id = request.GET.get("service", "")
    if not service_id.isdigit():
        raise Http404(_("Aucune prestation."))
    return year, month, get_object_or_404(Service, pk=int(service_id))


def _month_label(year: int, month: int) -> str:
    return date_format(dt.date(year, month, 1), "F Y")


@staff_required
def register_month_csv(request):
    year, month, service = _month_and_service(request)
    response, writer = csv_download(f"presences-{year}-{month:02d}-{service.pk}.csv")
    writer.writerow([_("Nom"), _("Prénom"), _("Jours réservés"), _("Présent"), _("Absent"), _("Absence justifiée"),
                     _("Non pointé"), _("Présences sans réservation")])
    rows = register.month_summary(service, year, month)
    for row in rows:
        writer.writerow([row.last_name.upper(), row.first_name, row.booked, row.present, row.absent, row.justified,
                         row.unknown, row.unbooked])
    totals = register.month_totals(rows)
    writer.writerow([_("Total"), "", totals["booked"], totals["present"], totals["absent"], totals["justified"],
                     totals["unknown"], totals["unbooked"]])
    return response


@staff_required
def register_month_pdf(request):
    from weasyprint import HTML

    year, month, service = _month_and_service(request)
    rows = register.month_summary(service, year, month)
    html = render_to_string("bookings/staff/register_month_pdf.html", {
        "town": request.town, "service": service, "month": _month_label(year, month), "rows": rows,
        "totals": register.month_totals(rows)})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="presences-{year}-{month:02d}-{service.pk}.pdf"'
    return response
