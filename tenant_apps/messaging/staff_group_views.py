"""Staff write first: a conversation with one household, a group message and its progress,
urgent notices."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_form_error
from tenant_apps.families.models import Household

from . import audiences, errors, selectors, services_staff
from .forms import GroupMessageForm, NoticeForm, StaffStartForm
from .models import Notice


@staff_required
@require_http_methods(["GET", "POST"])
def start(request):
    """Write to one household: found by name here, or reached from its page (?foyer=<id>)."""
    initial = {}
    if request.method == "GET":
        household_id = request.GET.get("foyer", "")
        if not household_id:
            query = request.GET.get("q", "").strip()[:100]
            found = Household.objects.filter(name__icontains=query).order_by("name")[:20] if query else []
            return render(request, "messaging/staff/start_search.html", {"query": query, "found": found})
        household = Household.objects.filter(pk=int(household_id)).first() if household_id.isdigit() else None
        if household is None:
            raise Http404(_("Foyer introuvable."))
        initial["household"] = household.pk
    form = StaffStartForm(request.POST or None, initial=initial)
    household = None
    if form.is_bound and form.is_valid():
        household = form.cleaned_data["household"]
        with refusal_as_form_error(form, "body", fields={errors.SubjectRequired: "subject"}):
            conversation = services_staff.conversation_start_by_staff(
                household=household, author=request.user, service=form.cleaned_data["service"],
                subject=form.cleaned_data["subject"], body=form.cleaned_data["body"])
            messages.success(request, _("Message envoyé au foyer %(name)s.") % {"name": household.name})
            return redirect("messaging_staff:thread", pk=conversation.pk)
    elif not form.is_bound:
        household = Household.objects.get(pk=initial["household"])
    return render(request, "messaging/staff/start.html", {"form": form, "household": household})


@staff_required
@require_http_methods(["GET", "POST"])
def group_new(request):
    form = GroupMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_as_form_error(form, "audience", fields={errors.SubjectRequired: "subject",
                                                              errors.EmptyMessage: "body"}):
            recipients = audiences.recipients(
                code=data["audience"], service_ids=[s.pk for s in data["services"]],
                school=data["school"] or "", school_class=data["school_class"] or "")
            group, created = services_staff.group_message_send(
                author=request.user, service=data["service"], subject=data["subject"], body=data["body"],
                recipients=recipients, idempotency_key=data["key"])
            if created:
                messages.success(request, ngettext(
                    "Message en cours d'envoi à %(count)d foyer.", "Message en cours d'envoi à %(count)d foyers.",
                    group.recipient_count) % {"count": group.recipient_count})
            else:
                messages.info(request, _("Ce message a déjà été envoyé : il n'est pas envoyé une seconde fois."))
            return redirect("messaging_staff:group", pk=group.pk)
    return render(request, "messaging/staff/group_new.html", {
        "form": form, "groups": selectors.group_messages()[:20]})


@staff_required
def group_detail(request, pk: int):
    group = selectors.group_message_for_staff(pk)
    return render(request, "messaging/staff/group_detail.html", {"group": group})


@staff_required
@require_http_methods(["GET", "POST"])
def notices(request):
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form, "ends_on", fields={errors.SubjectRequired: "title"}):
            services_staff.notice_publish(author=request.user, **form.cleaned_data)
            messages.success(request, _("Avis publié sur la page d'accueil des familles."))
            return redirect("messaging_staff:notices")
    return render(request, "messaging/staff/notices.html", {
        "form": form, "current": selectors.current_notices(),
        "past": Notice.objects.exclude(pk__in=selectors.current_notices()).order_by("-ends_on")[:20]})


@staff_required
@require_POST
def notice_end(request, pk: int):
    notice = selectors.current_notices().filter(pk=pk).first()
    if notice is None:
        raise Http404(_("Avis introuvable."))
    services_staff.notice_end(notice=notice)
    messages.success(request, _("Avis retiré de la page d'accueil."))
    return redirect("messaging_staff:notices")
