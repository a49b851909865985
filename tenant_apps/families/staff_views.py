"""Staff (gestionnaire) screens of the family record: search, household detail, field policy,
audit trail, CSV import."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_message

from . import imports, services
from .fields import CATEGORY_TITLES, SPECS
from .forms import FieldPolicyForm, ImportForm
from .models import Child, ChildDocument, Guardian, Household, InvitationBatch
from .selectors import audit_trail, households_search
from .services.invitations import guardian_invite, invitation_batch_start, with_invitation_dates
from .views import document_file_response


@staff_required
def households(request):
    query = request.GET.get("q", "")
    page = Paginator(households_search(query), 50).get_page(request.GET.get("page"))
    return render(request, "families/staff/households.html", {"page": page, "query": query})


@staff_required
def guardians(request):
    query = request.GET.get("q", "").strip()
    qs = with_invitation_dates(Guardian.objects.select_related("household", "user"))
    if query:
        qs = qs.filter(Q(last_name__icontains=query) | Q(first_name__icontains=query) | Q(email__icontains=query)
                       | Q(mobile_phone__icontains=query) | Q(household__name__icontains=query))
    page = Paginator(qs.order_by("last_name", "first_name"), 50).get_page(request.GET.get("page"))
    return render(request, "families/staff/guardians.html", {"page": page, "query": query})


@staff_required
def children(request):
    query = request.GET.get("q", "").strip()
    qs = Child.objects.select_related("household").prefetch_related("placements")
    if query:
        qs = qs.filter(Q(last_name__icontains=query) | Q(first_name__icontains=query)
                       | Q(household__name__icontains=query) | Q(placements__school__icontains=query)
                       | Q(placements__school_class__icontains=query)).distinct()
    page = Paginator(qs.order_by("last_name", "first_name"), 50).get_page(request.GET.get("page"))
    return render(request, "families/staff/children.html", {"page": page, "query": query})


@staff_required
def household_detail(request, household_id: int):
    household = get_object_or_404(Household, pk=household_id)
    kids = household.children.prefetch_related(
        "placements", "allergies", "vaccines", "emergency_contacts", "pickup_contacts", "documents", "authorisations")
    return render(request, "families/staff/household_detail.html", {
        "household": household, "guardians": with_invitation_dates(household.guardians.select_related("user")),
        "children": kids, "changes": audit_trail(household)[:100],
    })


@staff_required
def document_download(request, document_id: int):
    document = ChildDocument.objects.filter(pk=document_id).first()
    if document is None:
        raise Http404(_("Document introuvable."))
    return document_file_response(document)


@staff_required
def field_policy(request):
    policies = services.field_policies()
    as_pairs = {key: (p.editable_by_parents, p.audited) for key, p in policies.items()}
    form = FieldPolicyForm(request.POST or None, policies=as_pairs)
    if request.method == "POST" and form.is_valid():
        for spec in SPECS:
            services.field_policy_set(key=spec.key, editable_by_parents=form.cleaned_data[f"{spec.key}__editable"],
                                      audited=form.cleaned_data[f"{spec.key}__audited"])
        messages.success(request, _("Les règles de modification ont été enregistrées."))
        return redirect("families_staff:field_policy")
    rows = [{"spec": spec, "scope": {"household": "Foyer", "guardian": "Responsable", "child": "Enfant"}[spec.scope],
             "category": CATEGORY_TITLES.get(spec.category, spec.category),
             "editable": form[f"{spec.key}__editable"], "audited": form[f"{spec.key}__audited"]} for spec in SPECS]
    return render(request, "families/staff/field_policy.html", {"form": form, "rows": rows})


@staff_required
def changes(request):
    page = Paginator(audit_trail(), 100).get_page(request.GET.get("page"))
    return render(request, "families/staff/changes.html", {"page": page})


@staff_required
def import_csv(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        report = imports.families_import_csv(file=form.cleaned_data["file"])
        if report.ok:
            request.session[IMPORTED_GUARDIANS_KEY] = report.guardian_ids
            return render(request, "families/staff/import_done.html", {"report": report})
        status = 400
    return render(request, "families/staff/import.html",
                  {"form": form, "report": report, "columns": imports.IMPORT_COLUMNS}, status=status)


@staff_required
@require_POST
def guardian_reinvite(request, guardian_id: int):
    """"Renvoyer l'invitation": a new 7-day link to create the password, the older ones voided."""
    guardian = get_object_or_404(Guardian.objects.select_related("user"), pk=guardian_id)
    with refusal_as_message(request, _("%(guardian)s : %(error)s"), guardian=guardian):
        guardian_invite(guardian=guardian)
        messages.success(request, _("Invitation renvoyée à %(email)s : le lien est valable 7 jours.")
                         % {"email": guardian.user.email if guardian.user else ""})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("families_staff:household", household_id=guardian.household_id)


IMPORTED_GUARDIANS_KEY = "families_imported_guardians"


@staff_required
@require_POST
def import_invite(request):
    """At the end of an import: invite the imported guardians (a bulk invitation job)."""
    guardian_ids = request.session.pop(IMPORTED_GUARDIANS_KEY, None)
    if not guardian_ids:
        messages.error(request, _("Aucun import récent à inviter : utilisez l'envoi des invitations."))
        return redirect("backoffice:invitations")
    batch = invitation_batch_start(created_by=request.user, scope=InvitationBatch.Scope.IMPORTED,
                                   guardian_ids=[int(pk) for pk in guardian_ids],
                                   filter_label=_("import du fichier CSV"))
    messages.success(request, _("L'envoi des invitations aux responsables importés a commencé."))
    return redirect("backoffice:invitation_batch", batch_id=batch.pk)
