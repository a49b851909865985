"""Staff screens of a town's opening: the setup checklist, "Ouvrir le portail", bulk invitations."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tenant_apps.catalog.models import Service
from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_form_error
from tenant_apps.families.models import InvitationBatch, SchoolPlacement
from tenant_apps.families.services.invitations import guardians_to_invite, invitation_batch_start
from tenants.current import require_town
from tenants.opening import town_open

from .checklist import setup_checklist
from .forms import InvitationBatchForm, TownOpenForm


@staff_required
def portal_open(request):
    """"Ouvrir le portail": the checklist once more, a confirmation, then the town opens."""
    town = require_town()
    if town.is_open:
        messages.info(request, _("Le portail est déjà ouvert aux familles."))
        return redirect("backoffice:home")
    form = TownOpenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form):
            town_open(town=town, by=request.user.email)
            messages.success(request, _("Le portail est ouvert : les familles peuvent se connecter."))
            return redirect("backoffice:home")
    status = 400 if form.is_bound else 200
    return render(request, "backoffice/portal_open.html", {"form": form, "checklist": setup_checklist()},
                  status=status)


def school_choices() -> list[str]:
    return sorted(set(SchoolPlacement.objects.exclude(school="").values_list("school", flat=True)), key=str.lower)


@staff_required
def invitations(request):
    """Send the first-password invitation to every guardian without a password (or a filter of them)."""
    services = Service.objects.order_by("position", "name")
    form = InvitationBatchForm(request.POST or None, services=services, schools=school_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        service = services.filter(pk=data["service"]).first() if data["scope"] == "service" else None
        with refusal_as_form_error(form):
            batch = invitation_batch_start(
                created_by=request.user, scope=data["scope"], service_id=service.pk if service else None,
                filter_label=service.name if service else data.get("school", ""), school=data.get("school", ""),
                include_recent=data["include_recent"])
            messages.success(request, _("L'envoi des invitations a commencé."))
            return redirect("backoffice:invitation_batch", batch_id=batch.pk)
    status = 400 if form.is_bound else 200
    return render(request, "backoffice/invitations.html", {
        "form": form, "batches": InvitationBatch.objects.select_related("created_by")[:20],
        "waiting": guardians_to_invite(scope="all").count(),
    }, status=status)


@staff_required
def invitation_batch(request, batch_id: int):
    batch = get_object_or_404(InvitationBatch, pk=batch_id)
    if request.htmx:
        return render(request, "backoffice/_invitation_batch.html", {"batch": batch})
    return render(request, "backoffice/invitation_batch.html", {"batch": batch})
