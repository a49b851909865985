"""Parents' pages of the messaging app: contact page, writing to a service, conversations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tenant_apps.core import files
from tenant_apps.core.errors import UploadRejected
from tenant_apps.core.french import au
from tenant_apps.core.refusals import refusal_as_form_error
from tenant_apps.families.selectors import household_of

from . import errors, selectors, services
from .forms import ComposeForm, ReplyForm
from .models import ATTACHMENT_FOLDER, Message


def _sidebar(household):
    return {"conversations": selectors.conversations_of(household)[:50]}


@login_required
def inbox(request):
    household = household_of(request.user)
    return render(request, "messaging/inbox.html", {"services": selectors.open_services(), **_sidebar(household)})


@login_required
@require_http_methods(["GET", "POST"])
def compose(request, service_id: int):
    household = household_of(request.user)
    service = selectors.open_service(service_id)
    form = ComposeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_as_form_error(form, "body", fields={UploadRejected: "attachment",
                                                          errors.SubjectRequired: "subject"}):
            conversation = services.conversation_start(
                household=household, author=request.user, service=service, subject=data["subject"],
                body=data["body"], attachment=data["attachment"], is_medical=data["is_medical"],
            )
            messages.success(request, _("Votre message a bien été envoyé %(to_service)s.") % {"to_service": au(service.name)})
            return redirect("messaging:thread", pk=conversation.pk)
    return render(request, "messaging/compose.html", {"service": service, "form": form, **_sidebar(household)})


@login_required
@require_http_methods(["GET", "POST"])
def thread(request, pk: int):
    household = household_of(request.user)
    conversation = selectors.conversation_of(household, pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form, "body", fields={UploadRejected: "attachment"}):
            services.message_post(
                conversation=conversation, side=Message.Side.FAMILY, author=request.user,
                body=form.cleaned_data["body"], subject="Re", attachment=form.cleaned_data["attachment"],
            )
            messages.success(request, _("Votre message a bien été envoyé."))
            return redirect("messaging:thread", pk=conversation.pk)
    thread_messages = list(selectors.messages_of(conversation))
    if request.method == "GET":
        services.conversation_mark_read(conversation=conversation, side=Message.Side.FAMILY)
    return render(request, "messaging/thread.html", {
        "conversation": conversation, "thread_messages": thread_messages, "form": form, **_sidebar(household),
    })


@login_required
def attachment(request, pk: int):
    household = household_of(request.user)
    message = selectors.message_of_household(household, pk)
    return files.serve(message.attachment.name, folder=ATTACHMENT_FOLDER,
                       filename=message.attachment_name or "piece-jointe")
