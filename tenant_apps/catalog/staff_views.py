"""Staff screens of the services app: services and deadline rules, closure days, enrolments."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenant_apps.core.clock import town_today
from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_form_error, refusal_as_message
from tenant_apps.families.models import Child
from tenants.errors import DomainError

from . import errors, services
from .calendar import TownCalendar
from .forms import (
    EnrolmentForm,
    SchoolHolidayPeriodForm,
    ServiceDateForm,
    ServiceForm,
    ServicePeriodForm,
)
from .models import (
    Enrolment,
    SchoolHolidayPeriod,
    Service,
    ServiceDate,
    ServicePeriod,
    school_year_of,
)
from .school_calendar import (
    own_school_calendar_required,
    school_holiday_period_add,
    school_holiday_period_remove,
)
from .selectors import (
    ChildFilter,
    children_for_enrolment,
    children_matching,
    placement_choices,
    renewal_preview,
)

PAGE_SIZE = 50


@staff_required
def service_list(request):
    return render(request, "services/staff/service_list.html",
                  {"services": Service.objects.order_by("position", "name")})


@staff_required
def service_edit(request, pk=None):
    service = get_object_or_404(Service, pk=pk) if pk else None
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        service = services.service_save(service=form.save(commit=False))
        messages.success(request, _("Prestation « %(name)s » enregistrée.") % {"name": service.name})
        return redirect("services_staff:list")
    return render(request, "services/staff/service_form.html", {
        "form": form, "service": service, "period_form": ServicePeriodForm(prefix="period"),
        "date_form": ServiceDateForm(prefix="date"),
    })


@staff_required
@require_POST
def service_period_add(request, pk):
    service = get_object_or_404(Service, pk=pk)
    form = ServicePeriodForm(request.POST, prefix="period")
    if form.is_valid():
        with refusal_as_message(request):
            services.service_period_add(service=service, **form.cleaned_data)
            messages.success(request, _("Période enregistrée."))
    else:
        messages.error(request, _("Période invalide : %(errors)s") % {
            "errors": " ".join(str(e) for errors in form.errors.values() for e in errors)})
    return redirect("services_staff:edit", pk=service.pk)


@staff_required
@require_POST
def service_period_remove(request, pk, period_pk):
    services.service_period_remove(period=get_object_or_404(ServicePeriod, pk=period_pk, service_id=pk))
    messages.success(request, _("Période supprimée."))
    return redirect("services_staff:edit", pk=pk)


@staff_required
@require_POST
def service_date_add(request, pk):
    service = get_object_or_404(Service, pk=pk)
    form = ServiceDateForm(request.POST, prefix="date")
    if form.is_valid():
        services.service_date_add(service=service, date=form.cleaned_data["date"])
        messages.success(request, _("Date ajoutée."))
    else:
        messages.error(request, _("Date invalide."))
    return redirect("services_staff:edit", pk=service.pk)


@staff_required
@require_POST
def service_date_remove(request, pk, date_pk):
    services.service_date_remove(service_date=get_object_or_404(ServiceDate, pk=date_pk, service_id=pk))
    messages.success(request, _("Date supprimée."))
    return redirect("services_staff:edit", pk=pk)


def _year_param(request, value: str | None) -> str:
    """The school year of the page: a valid "2026-2027" from the request, else the current one."""
    if value:
        try:
            return services.validate_school_year(value.strip())
        except DomainError:
            pass
    return school_year_of(town_today())


def _shift_year(year: str, by: int) -> str:
    start = int(year[:4]) + by
    return f"{start}-{start + 1}"


def _enrolments_url(child_filter: ChildFilter) -> str:
    return f"{reverse('services_staff:enrolments')}?{urlencode(child_filter.as_params())}"


@staff_required
def enrolment_list(request):
    """The town's children with their enrolments of a school year: filter, tick, enrol in bulk."""
    year = _year_param(request, request.GET.get("annee"))
    form = EnrolmentForm(request.POST or None, initial={"school_year": year})
    if request.method == "POST":  # one child, one service (kept for scripts and bookmarks)
        if form.is_valid():
            with refusal_as_form_error(form):
                enrolment = services.enrolment_add(**form.cleaned_data)
                messages.success(request, _("%(child)s inscrit(e) à %(service)s (%(year)s).") % {
                    "child": enrolment.child, "service": enrolment.service, "year": enrolment.school_year})
                return redirect(f"{request.path}?annee={enrolment.school_year}")
        for field_errors in form.errors.values():
            messages.error(request, " ".join(map(str, field_errors)))
    child_filter = ChildFilter.from_params(request.GET, year)
    page = Paginator(children_for_enrolment(child_filter), PAGE_SIZE).get_page(request.GET.get("page"))
    all_services = list(Service.objects.order_by("position", "name"))
    current = school_year_of(town_today())
    years = sorted({_shift_year(current, -1), current, _shift_year(current, 1), year})
    params = child_filter.as_params()
    return render(request, "services/staff/enrolments.html", {
        "page": page, "year": year, "years": years, "previous_year": _shift_year(year, -1),
        "services": all_services, "active_services": [s for s in all_services if s.is_active],
        "filter": child_filter, "choices": placement_choices(year),
        "filter_fields": [(name, value) for name, value in params.items()],
        "filter_query": urlencode(params),
    })


def _bulk_children(request, child_filter: ChildFilter):
    """The children the staff chose: the ticked ones, or (separate button, no JS) every filtered child."""
    if request.POST.get("selection") == "all":
        return children_matching(child_filter)
    ids = [int(value) for value in request.POST.getlist("enfants") if value.isdigit()]
    return Child.objects.filter(pk__in=ids).select_related("household").order_by("last_name", "first_name")


@staff_required
@require_POST
def enrolment_bulk(request):
    """Mass enrolment: a summary to confirm ("preview"), then the enrolments ("confirm")."""
    year = _year_param(request, request.POST.get("annee"))
    child_filter = ChildFilter.from_params(request.POST, year)
    children = _bulk_children(request, child_filter)
    chosen = list(Service.objects.filter(pk__in=[v for v in request.POST.getlist("prestations") if v.isdigit()])
                  .order_by("position", "name"))
    count = children.count()
    if not count or not chosen:
        messages.error(request, errors.InvalidEnrolmentRequest.default_message)
        return redirect(_enrolments_url(child_filter))
    if request.POST.get("step") != "confirm":
        already = dict(Enrolment.objects.filter(child__in=children, service__in=chosen, school_year=year)
                       .values("service_id").annotate(n=Count("id")).values_list("service_id", "n"))
        lines = [(service, count - already.get(service.pk, 0), already.get(service.pk, 0)) for service in chosen]
        return render(request, "services/staff/enrolment_bulk_confirm.html", {
            "year": year, "count": count, "lines": lines, "children": children[:PAGE_SIZE],
            "selection": request.POST.get("selection", "checked"),
            "child_ids": [c.pk for c in children] if request.POST.get("selection") != "all" else [],
            "services_chosen": chosen, "filter_fields": list(child_filter.as_params().items()),
            "back_url": _enrolments_url(child_filter),
        })
    with refusal_as_message(request):
        report = services.enrolments_bulk_create(children=children, services=chosen, school_year=year,
                                                 actor=request.user)
        messages.success(request, report.summary())
    return redirect(_enrolments_url(child_filter))


@staff_required
def enrolment_renew(request):
    """"Reconduire les inscriptions de 2025-2026 vers 2026-2027": counts per service, then confirm."""
    source = request.POST if request.method == "POST" else request.GET
    to_year = _year_param(request, source.get("vers"))
    from_year = _year_param(request, source.get("de") or _shift_year(to_year, -1))
    if request.method == "POST":
        with refusal_as_message(request):
            report = services.enrolments_renew(from_year=from_year, to_year=to_year, actor=request.user)
            messages.success(request, report.summary())
            return redirect(f"{reverse('services_staff:enrolments')}?annee={to_year}")
    try:
        lines = renewal_preview(from_year=from_year, to_year=to_year)
        services.validate_renewal(from_year, to_year)
        refusal = ""
    except DomainError as refused:
        lines, refusal = [], str(refused.message)
    return render(request, "services/staff/enrolment_renew.html", {
        "from_year": from_year, "to_year": to_year, "lines": lines, "error": refusal,
        "to_create": sum(line.to_create for line in lines),
        "already": sum(line.already_enrolled for line in lines),
    })


@staff_required
def school_holidays(request):
    """The town's own school calendar: needed overseas, optional elsewhere."""
    form = SchoolHolidayPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form):
            period = school_holiday_period_add(**form.cleaned_data)
            messages.success(request, _("Période « %(name)s » enregistrée.") % {"name": period.name})
            return redirect("services_staff:school_holidays")
    today = town_today()
    return render(request, "services/staff/school_holidays.html", {
        "form": form, "periods": SchoolHolidayPeriod.objects.all(),
        "required": own_school_calendar_required(),
        "known_until": TownCalendar.for_range(today, today).school_holidays_known_until,
    }, status=400 if form.errors else 200)


@staff_required
@require_POST
def school_holiday_remove(request, pk):
    school_holiday_period_remove(period=get_object_or_404(SchoolHolidayPeriod, pk=pk))
    messages.success(request, _("Période supprimée."))
    return redirect("services_staff:school_holidays")
