"""Staff screens of bookings: attendance (pointage) per day and service, with PDF and CSV lists."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tenant_apps.catalog.calendar import TownCalendar
from tenant_apps.catalog.models import ClosureDay, Enrolment, Service, school_year_of
from tenant_apps.catalog.services import closure_day_remove
from tenant_apps.core.clock import town_today
from tenant_apps.core.csv_export import csv_download
from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_form_error, refusal_as_message
from tenant_apps.families.models import Child

from . import closures, enrolments, services
from .forms import ClosureForm
from .models import Booking, BookingChange
from .pdf import attendance_sheet_pdf
from .selectors import attendance_sheet


def _day_and_service(request, source):
    today = town_today()
    try:
        day = dt.date.fromisoformat(source.get("date", "")) if source.get("date") else today
    except ValueError:
        day = today
    services_qs = Service.objects.filter(is_active=True).order_by("position", "name")
    service_id = source.get("service")
    service = None
    if service_id and str(service_id).isdigit():
        service = services_qs.filter(pk=int(service_id)).first()
    if service is None:
        service = services_qs.filter(weekdays__contains=[day.weekday()]).first() or services_qs.first()
    return day, service, services_qs


def _sheet_url(day, service) -> str:
    return f"{reverse('bookings_staff:attendance')}?date={day.isoformat()}&service={service.pk}"


@staff_required
def attendance(request):
    day, service, all_services = _day_and_service(request, request.GET)
    rows = attendance_sheet(service, day) if service else []
    walk_in_candidates = []
    if service:
        booked_ids = {row.booking.child_id for row in rows}
        walk_in_candidates = [
            c for c in Child.objects.filter(enrolments__service=service, enrolments__school_year=school_year_of(day))
            .order_by("last_name", "first_name").distinct() if c.pk not in booked_ids
        ]
    return render(request, "bookings/staff/attendance.html", {
        "day": day, "service": service, "services": all_services, "rows": rows,
        "walk_in_candidates": walk_in_candidates, "attendance_choices": Booking.Attendance.choices[1:],
        "counts": _counts(rows),
    })


def _counts(rows):
    counts = {value: 0 for value in Booking.Attendance.values}
    for row in rows:
        counts[row.booking.attendance] += 1
    return counts


@staff_required
@require_POST
def attendance_mark(request):
    booking = get_object_or_404(Booking.objects.select_related("service", "child"), pk=request.POST.get("booking"))
    with refusal_as_message(request, _("%(child)s : %(error)s"), child=booking.child):
        services.attendance_mark(booking=booking, attendance=request.POST.get("attendance", ""), actor=request.user,
                                 source=BookingChange.Source.STAFF)
        messages.success(request, _("%(child)s : pointage enregistré.") % {"child": booking.child})
    return redirect(_sheet_url(booking.date, booking.service) + f"#booking-{booking.pk}")


def walk_in_add(request, *, source: str, done: str) -> tuple[dt.date, Service]:
    """Record the posted child as present without a booking (attendance sheet and register alike);
    `done` is the success message, with %(child)s. Returns the day and service, for the redirect."""
    day, service, _all = _day_and_service(request, request.POST)
    child_id = request.POST.get("child", "")
    if service is None or not child_id.isdigit():
        raise Http404(_("Enfant ou prestation inconnu."))
    child = get_object_or_404(Child, pk=int(child_id))
    with refusal_as_message(request, _("%(child)s : %(error)s"), child=child):
        services.attendance_add_walk_in(child=child, service=service, day=day, actor=request.user, source=source)
        messages.success(request, done % {"child": child})
    return day, service


@staff_required
@require_POST
def attendance_walk_in(request):
    day, service = walk_in_add(request, source=BookingChange.Source.STAFF,
                               done=_("%(child)s ajouté(e) présent(e) sans réservation."))
    return redirect(_sheet_url(day, service))


@staff_required
@require_POST
def staff_booking(request):
    """Book or cancel for a family, past the deadline if need be: the override is recorded."""
    day, service, _all = _day_and_service(request, request.POST)
    child_id = request.POST.get("child", "")
    action = request.POST.get("action")
    if service is None or not child_id.isdigit() or action not in ("set", "unset"):
        raise Http404(_("Demande invalide."))
    child = get_object_or_404(Child, pk=int(child_id))
    operation = services.booking_set if action == "set" else services.booking_unset
    with refusal_as_message(request, _("%(child)s : %(error)s"), child=child):
        operation(child=child, service=service, day=day, actor=request.user, source=BookingChange.Source.STAFF,
                  override=True)
        done = _("%(child)s : réservation enregistrée.") if action == "set" else _("%(child)s : réservation annulée.")
        messages.success(request, done % {"child": child})
    return redirect(_sheet_url(day, service))


@staff_required
def attendance_csv(request):
    day, service, _all = _day_and_service(request, request.GET)
    if service is None:
        raise Http404(_("Aucune prestation."))
    response, writer = csv_download(f"pointage-{day.isoformat()}-{service.pk}.csv")
    writer.writerow([_("Nom"), _("Prénom"), _("Classe"), _("Régime"), _("Allergies"), _("PAI"), _("Pointage"),
                     _("Sans réservation")])
    yes = _("oui")
    for row in attendance_sheet(service, day):
        writer.writerow([row.child.last_name.upper(), row.child.first_name, row.school_class, row.diet,
                         row.allergies, yes if row.care_plan else "", row.booking.get_attendance_display(),
                         yes if row.booking.unbooked_attendance else ""])
    return response


@staff_required
def attendance_pdf(request):
    day, service, _all = _day_and_service(request, request.GET)
    if service is None:
        raise Http404(_("Aucune prestation."))
    pdf = attendance_sheet_pdf(service=service, day=day, town=request.town)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="pointage-{day.isoformat()}-{service.pk}.pdf"'
    return response


@staff_required
def enrolment_remove(request, pk):
    """Confirm, then end an enrolment (refused if invoiced; future bookings cancelled once confirmed)."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("child__household", "service"), pk=pk)
    back = f"{reverse('services_staff:enrolments')}?annee={enrolment.school_year}"
    today = town_today()
    bookings = enrolments.enrolment_bookings(enrolment)
    if request.method == "POST":
        with refusal_as_message(request):
            cancelled = enrolments.enrolment_delete(enrolment=enrolment, actor=request.user,
                                                  cancel_future_bookings=request.POST.get("confirmer") == "oui")
            text = _("Inscription de %(child)s à %(service)s (%(year)s) supprimée.") % {
                "child": enrolment.child, "service": enrolment.service, "year": enrolment.school_year}
            if cancelled:
                text += " " + ngettext("%(n)d réservation à venir annulée.", "%(n)d réservations à venir annulées.",
                                       cancelled) % {"n": cancelled}
            messages.success(request, text)
            return redirect(back)
    return render(request, "bookings/staff/enrolment_remove.html", {
        "enrolment": enrolment, "back_url": back, "tomorrow": today + dt.timedelta(days=1),
        "invoiced": bookings.filter(invoiced=True).count(),
        "future": enrolments.enrolment_future_bookings(enrolment, today=today).count(),
    })


def _closure_done(impact: closures.ClosureImpact) -> str:
    if not impact.bookings:
        return _("Fermeture %(period)s enregistrée : aucune réservation concernée.") % {"period": impact.period()}
    return ngettext("Fermeture %(period)s enregistrée : %(summary)s annulée.",
                    "Fermeture %(period)s enregistrée : %(summary)s annulées.", impact.bookings_count) % {
        "period": impact.period(), "summary": impact.summary()}


@staff_required
def closure_list(request):
    """The coming closures, and a new one: staff see the bookings it cancels before confirming."""
    form = ClosureForm(request.POST or None)
    impact = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        closure = {"start": data["date"], "end": data["end"], "reason": data["reason"],
                   "services": list(data["services"]), "actor": request.user}
        with refusal_as_form_error(form):
            impact = closures.closure_preview(**closure)
            # Nothing to cancel: nothing to confirm. Invoiced bookings: the service says which invoices.
            if not impact.bookings or impact.invoice_numbers or request.POST.get("confirm"):
                impact = closures.closure_apply(**closure)
                messages.success(request, _closure_done(impact))
                return redirect("closures_staff:list")
        if form.errors:
            impact = None
    upcoming = ClosureDay.objects.filter(date__gte=town_today()).select_related("service")
    today = town_today()
    known_until = TownCalendar.for_range(today, today).school_holidays_known_until
    return render(request, "bookings/staff/closures.html", {"form": form, "closures": upcoming, "impact": impact,
                                                            "school_holidays_known_until": known_until})


@staff_required
@require_POST
def closure_remove(request, pk):
    """Reopen a day: the bookings its closure cancelled stay cancelled (families book again if they wish)."""
    closure_day_remove(closure=get_object_or_404(ClosureDay, pk=pk))
    messages.success(request, _("Fermeture supprimée."))
    return redirect("closures_staff:list")
