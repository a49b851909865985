"""Parents' pages of the bookings app: the week grid (section 4.1) and the bulk wizard (4.2).

Every query starts from the signed-in guardian's household; a child or service id of
another family answers 404.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from tenant_apps.catalog.models import Service
from tenant_apps.core.clock import town_today
from tenant_apps.core.french import after_colon
from tenant_apps.families.selectors import (
    child_of,
    household_and_children_of,
    household_of,
)
from tenants.errors import DomainError

from . import selectors, services, services_cell
from .forms import BulkChildrenForm, BulkParamsForm, BulkServiceForm
from .models import BookingChange


def _today(request) -> dt.date:
    return town_today()


def _week_url(monday: dt.date, anchor: str = "") -> str:
    return f"{reverse('bookings:week')}?semaine={selectors.week_param(monday)}" + (f"#{anchor}" if anchor else "")


def _monday_from(request, source) -> dt.date:
    if source.get("date"):
        try:
            return selectors.monday_of(dt.date.fromisoformat(source["date"]))
        except ValueError:
            pass
    return selectors.parse_week(source.get("semaine"), _today(request))


@login_required
def week(request):
    household, children = household_and_children_of(request.user)
    monday = _monday_from(request, request.GET)
    grid = selectors.week_grid(household, monday, children=children)
    year, number = grid.iso
    return render(request, "bookings/week.html", {
        "grid": grid, "week_number": number, "week_year": year, "semaine": selectors.week_param(monday),
        "previous": selectors.week_param(grid.previous_monday), "next": selectors.week_param(grid.next_monday),
        "picker_value": monday.isoformat(),
    })


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404(_("Paramètre invalide.")) from None


def _service(service_id) -> Service:
    service = Service.objects.filter(pk=_int(service_id), is_active=True).first()
    if service is None:
        raise Http404(_("Prestation introuvable."))
    return service


def _fresh_row(household, monday, child, service):
    grid = selectors.week_grid(household, monday, only_child_id=child.pk, only_service_id=service.pk)
    for child_grid in grid.children:
        for row in child_grid.rows:
            return grid, row
    raise Http404(_("Prestation non réservable pour cet enfant."))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def toggle(request):
    """Book or cancel one cell; htmx swaps the cell (built from what the write loaded), otherwise back to the week."""
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Date invalide."))
    action = request.POST.get("action")
    if action not in ("set", "unset"):
        return HttpResponseBadRequest(_("Action invalide."))
    written = services_cell.booking_cell_toggle(user=request.user, child_id=_int(request.POST.get("child")),
                                                service_id=_int(request.POST.get("service")), day=day,
                                                book=action == "set")
    if written is None:
        return _toggle_general(request, day, action)
    names = {"service": written.service.name, "child": written.child.first_name, "day": date_format(day, "l j F")}
    if written.refusal is not None:
        text, level = _("%(service)s, %(day)s : %(error)s") % {**names, "error": after_colon(written.refusal.message)}, "error"
    elif action == "set":
        text, level = _("%(service)s réservé pour %(child)s le %(day)s.") % names, "success"
    else:
        text, level = _("%(service)s annulé pour %(child)s le %(day)s.") % names, "success"
    monday = selectors.monday_of(day)
    if request.htmx:
        row = selectors.Row(written.child, written.service, [written.cell])
        return render(request, "bookings/_cell_response.html", {
            "cell": written.cell, "row": row, "semaine": selectors.week_param(monday), "message": text,
            "level": level,
        })
    getattr(messages, level)(request, text)
    return redirect(_week_url(monday, f"row-{written.child.pk}-{written.service.pk}"))


def _toggle_general(request, day: dt.date, action: str):
    """A click the fast path did not find (another family's child, no enrolment…): 404 or the rules' refusal."""
    household = household_of(request.user)
    child = child_of(household, _int(request.POST.get("child")))
    service = _service(request.POST.get("service"))
    names = {"service": service.name, "child": child.first_name, "day": date_format(day, "l j F")}
    try:
        if action == "set":
            services.booking_set(child=child, service=service, day=day, actor=request.user,
                                 source=BookingChange.Source.PORTAL)
            text, level = _("%(service)s réservé pour %(child)s le %(day)s.") % names, "success"
        else:
            services.booking_unset(child=child, service=service, day=day, actor=request.user,
                                   source=BookingChange.Source.PORTAL)
            text, level = _("%(service)s annulé pour %(child)s le %(day)s.") % names, "success"
    except DomainError as error:
        text, level = _("%(service)s, %(day)s : %(error)s") % {**names, "error": after_colon(error.message)}, "error"
    monday = selectors.monday_of(day)
    if request.htmx:
        _grid, row = _fresh_row(household, monday, child, service)
        cell = next((c for c in row.cells if c.day == day), None)
        if cell is None:
            raise Http404(_("Jour hors de la grille."))
        return render(request, "bookings/_cell_response.html", {
            "cell": cell, "row": row, "semaine": selectors.week_param(monday), "message": text, "level": level,
        }, status=200)
    getattr(messages, level)(request, text)
    return redirect(_week_url(monday, f"row-{child.pk}-{service.pk}"))


@login_required
@require_POST
@vary_on_headers("HX-Request")
def book_week(request):
    """"RÉSERVER POUR LA SEMAINE": every available day of one row."""
    household = household_of(request.user)
    child = child_of(household, _int(request.POST.get("child")))
    service = _service(request.POST.get("service"))
    monday = selectors.parse_week(request.POST.get("semaine"), _today(request))
    _grid, row = _fresh_row(household, monday, child, service)
    days = [cell.day for cell in row.cells if cell.state == "available"]
    result = services.booking_set_week(child=child, service=service, days=days, actor=request.user,
                                       source=BookingChange.Source.PORTAL)
    if result.booked:
        text, level = (ngettext("%(service)s : %(count)s jour réservé pour %(child)s.",
                                "%(service)s : %(count)s jours réservés pour %(child)s.", len(result.booked)) % {
            "service": service.name, "count": len(result.booked), "child": child.first_name},
                       "success")
    else:
        text, level = _("%(service)s : aucun jour disponible à réserver cette semaine.") % {"service": service.name}, "warning"
    if result.refused:
        text += " " + ngettext("%(count)s jour n'a pas pu être réservé.", "%(count)s jours n'ont pas pu être réservés.",
                               len(result.refused)) % {"count": len(result.refused)}
    if request.htmx:
        _grid, row = _fresh_row(household, monday, child, service)
        return render(request, "bookings/_row_response.html", {
            "row": row, "semaine": selectors.week_param(monday), "message": text, "level": level,
        })
    getattr(messages, level)(request, text)
    return redirect(_week_url(monday, f"row-{child.pk}-{service.pk}"))


# --- bulk booking wizard -------------------------------------------------------------------------

STEPS = ["service", "children", "params", "summary", "confirm"]


def _carry(post, exclude) -> list[tuple[str, str]]:
    """The previous steps' answers, carried forward as hidden fields."""
    skip = {"csrfmiddlewaretoken", "goto", *exclude}
    return [(key, value) for key in post for value in post.getlist(key) if key not in skip]


@login_required
def bulk(request):
    """Service → children → days, dates, action, criterion → summary → confirm.

    The wizard's state travels in hidden fields; nothing is written before the confirmation.
    """
    household, household_children = household_and_children_of(request.user)
    today = _today(request)
    post = request.POST
    _refuse_foreign_children(household_children, post)
    target = post.get("goto", "service") if request.method == "POST" else "service"
    if target not in STEPS:
        target = "service"
    beyond = STEPS.index(target)

    def page(step, form, **extra):
        fields = set(form.fields) if form is not None else set()
        if step == "summary":
            fields = set()
        return render(request, "bookings/bulk.html", {
            "step": step, "form": form, "hidden": _carry(post, fields), "steps": STEPS, **extra,
        })

    service_form = BulkServiceForm(post if "service" in post else None, household=household, today=today,
                                   children=household_children)
    if beyond == 0 or not service_form.is_valid():
        return page("service", service_form)
    service = service_form.cleaned_data["service"]

    bind = "children" in post or beyond > 1
    children_form = BulkChildrenForm(post if bind else None, household=household, service=service, today=today,
                                     children=household_children)
    if beyond == 1 or not children_form.is_valid():
        return page("children", children_form, service=service)
    children = children_form.cleaned_data["children"]

    bind = "start" in post or beyond > 2
    params_form = BulkParamsForm(post if bind else None, service=service, children=children, today=today)
    if beyond == 2 or not params_form.is_valid():
        return page("params", params_form, service=service, children=children)
    params = params_form.cleaned_data
    arguments = {
        "service": service, "weekdays_by_child": params_form.weekdays_by_child(),
        "start": params["start"], "end": params["end"], "action": params["action"],
        "criterion": params["criterion"],
    }
    try:
        if target == "confirm":
            plan = services.bookings_bulk_apply(actor=request.user, source=BookingChange.Source.BULK, **arguments)
            messages.success(request, _confirmation(plan))
            return redirect(_week_url(selectors.monday_of(max(params["start"], today))))
        plan = services.bookings_bulk_preview(actor=request.user, **arguments)
    except DomainError as error:
        params_form.add_error(None, error.message)
        return page("params", params_form, service=service, children=children)
    return page("summary", None, service=service, children=children, plan=plan, params=params,
                by_child=_plan_by_child(plan, children), action_label=dict(services.BulkAction.CHOICES)[
                    params["action"]], criterion_label=services.criterion_label(
                    criterion=params["criterion"], start=params["start"]))


def _refuse_foreign_children(children, post) -> None:
    """Another family's child id anywhere in the wizard answers 404, as everywhere else."""
    mine = {str(child.pk) for child in children}
    posted = set(post.getlist("children")) | {key[len("days_"):] for key in post if key.startswith("days_")}
    if posted - mine:
        raise Http404(_("Enfant introuvable."))


def _confirmation(plan) -> str:
    created, cancelled, skipped = len(plan.to_create), len(plan.to_cancel), len(plan.skipped)
    text = ngettext("Vos réservations ont bien été enregistrées : %(count)s créée",
                    "Vos réservations ont bien été enregistrées : %(count)s créées", created) % {"count": created}
    if cancelled:
        text += ngettext(", %(count)s annulée", ", %(count)s annulées", cancelled) % {"count": cancelled}
    if skipped:
        text += ngettext(", %(count)s jour non modifié", ", %(count)s jours non modifiés", skipped) % {"count": skipped}
    return text + "."


def _plan_by_child(plan, children):
    rows = []
    for child in children:
        rows.append({
            "child": child,
            "create": [d for c, d in plan.to_create if c.pk == child.pk],
            "cancel": [d for c, d in plan.to_cancel if c.pk == child.pk],
            "skipped": [(d, services.SKIP_LABELS.get(code, code)) for c, d, code in plan.skipped if c.pk == child.pk],
        })
    return rows
