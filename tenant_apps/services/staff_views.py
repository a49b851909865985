"""Staff screens of the services app: services and deadline rules, closure days, enrolments."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenant_apps.backoffice.permissions import staff_required
from tenants.errors import DomainError

from . import services
from .forms import ClosureDayForm, EnrolmentForm, ServiceDateForm, ServiceForm, ServicePeriodForm
from .models import ClosureDay, Enrolment, Service, ServiceDate, ServicePeriod, school_year_of


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
        try:
            services.service_period_add(service=service, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
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


@staff_required
def closure_list(request):
    form = ClosureDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        closure = services.closure_day_add(**form.cleaned_data)
        messages.success(request, _("Fermeture du %(date)s enregistrée.") % {"date": f"{closure.date:%d/%m/%Y}"})
        return redirect("services_staff:closures")
    today = timezone.localdate(timezone=request.town.zoneinfo)
    closures = ClosureDay.objects.filter(date__gte=today).select_related("service")
    return render(request, "services/staff/closures.html", {"form": form, "closures": closures})


@staff_required
@require_POST
def closure_remove(request, pk):
    services.closure_day_remove(closure=get_object_or_404(ClosureDay, pk=pk))
    messages.success(request, _("Fermeture supprimée."))
    return redirect("services_staff:closures")


@staff_required
def enrolment_list(request):
    today = timezone.localdate(timezone=request.town.zoneinfo)
    year = request.GET.get("annee") or school_year_of(today)
    form = EnrolmentForm(request.POST or None, initial={"school_year": year})
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_add(**form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(child)s inscrit(e) à %(service)s (%(year)s).") % {
                "child": enrolment.child, "service": enrolment.service, "year": enrolment.school_year})
            return redirect(f"{request.path}?annee={enrolment.school_year}")
    enrolments = Enrolment.objects.filter(school_year=year).select_related("child__household", "service").order_by(
        "child__last_name", "child__first_name", "service__position")
    service_id = request.GET.get("prestation")
    if service_id and service_id.isdigit():
        enrolments = enrolments.filter(service_id=int(service_id))
    query = request.GET.get("q", "").strip()
    if query:
        enrolments = enrolments.filter(child__last_name__icontains=query) | enrolments.filter(
            child__first_name__icontains=query)
    page = Paginator(enrolments, 100).get_page(request.GET.get("page"))
    return render(request, "services/staff/enrolments.html", {
        "form": form, "page": page, "year": year, "services": Service.objects.all(), "query": query,
        "service_id": service_id,
    })


@staff_required
@require_POST
def enrolment_remove(request, pk):
    enrolment = get_object_or_404(Enrolment, pk=pk)
    services.enrolment_remove(enrolment=enrolment)
    messages.success(request, _("Inscription supprimée."))
    return redirect(f"{reverse('services_staff:enrolments')}?annee={enrolment.school_year}")
