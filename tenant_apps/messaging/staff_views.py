"""Staff screens of the messaging app: inbox per service, reply, close; the town's services."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tenant_apps.core import files
from tenant_apps.core.errors import UploadRejected
from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_form_error

from . import selectors, services
from .forms import ReplyForm, TownServiceForm
from .models import ATTACHMENT_FOLDER, Conversation, Message, TownService


@staff_required
def inbox(request):
    service_list = selectors.services_with_unread()
    current = None
    if request.GET.get("service", "").isdigit():
        current = get_object_or_404(TownService, pk=int(request.GET["service"]))
    status = request.GET.get("statut", Conversation.Status.OPEN)
    if status not in Conversation.Status.values:
        status = ""
    conversations = selectors.conversations_for_staff(service=current, status=status or None)
    return render(request, "messaging/staff/inbox.html", {
        "service_list": service_list, "current_service": current, "status": status,
        "conversations": conversations[:200], "statuses": Conversation.Status.choices,
    })


@staff_required
@require_http_methods(["GET", "POST"])
def thread(request, pk: int):
    conversation = selectors.conversation_for_staff(pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form, "body", fields={UploadRejected: "attachment"}):
            services.message_post(
                conversation=conversation, side=Message.Side.TOWN, author=request.user,
                body=form.cleaned_data["body"], subject="Re", attachment=form.cleaned_data["attachment"],
            )
            messages.success(request, _("Réponse envoyée à la famille."))
            return redirect("messaging_staff:thread", pk=conversation.pk)
    thread_messages = list(selectors.messages_of(conversation))
    if request.method == "GET":
        services.conversation_mark_read(conversation=conversation, side=Message.Side.TOWN)
    return render(request, "messaging/staff/thread.html", {
        "conversation": conversation, "thread_messages": thread_messages, "form": form,
    })


@staff_required
@require_POST
def close(request, pk: int):
    conversation = selectors.conversation_for_staff(pk)
    services.conversation_close(conversation=conversation, by=request.user)
    messages.success(request, _("Conversation clôturée."))
    return redirect("messaging_staff:thread", pk=conversation.pk)


@staff_required
def attachment(request, pk: int):
    message = selectors.message_for_staff(pk)
    return files.serve(message.attachment.name, folder=ATTACHMENT_FOLDER,
                       filename=message.attachment_name or "piece-jointe")


@staff_required
@require_http_methods(["GET", "POST"])
def service_list(request):
    form = TownServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.town_service_save(**form.cleaned_data)
        messages.success(request, _("Service « %(name)s » ajouté.") % {"name": service.name})
        return redirect("messaging_staff:services")
    return render(request, "messaging/staff/services.html", {
        "form": form, "service_list": TownService.objects.order_by("position", "name"),
    })


@staff_required
@require_http_methods(["GET", "POST"])
def service_edit(request, pk: int):
    service = get_object_or_404(TownService, pk=pk)
    form = TownServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        # The form only validates; the write goes through the service function.
        service = TownService.objects.get(pk=pk)
        services.town_service_save(service=service, **form.cleaned_data)
        messages.success(request, _("Service modifié."))
        return redirect("messaging_staff:services")
    return render(request, "messaging/staff/service_edit.html", {"form": form, "service": service})
