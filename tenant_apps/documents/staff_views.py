"""Staff screens of the documents app: publish, change, withdraw documents."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenant_apps.core import files
from tenant_apps.core.errors import UploadRejected
from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_form_error

from . import errors, selectors, services
from .forms import DocumentEditForm, DocumentForm
from .models import STORAGE_FOLDER, Document


@staff_required
def document_list(request):
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_as_form_error(form, "unpublished_on", fields={UploadRejected: "file",
                                                                    errors.AudienceServicesRequired: "services"}):
            document = services.document_publish(
                title=data["title"], category=data["category"], upload=data["file"],
                published_on=data["published_on"], unpublished_on=data["unpublished_on"],
                audience=data["audience"], services=data["services"], by=request.user,
            )
            messages.success(request, _("Le document « %(title)s » est publié.") % {"title": document.title})
            return redirect("documents_staff:list")
    return render(request, "documents/staff/list.html", {"form": form, "documents": selectors.documents_for_staff()})


@staff_required
def document_edit(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    initial = {
        "title": document.title, "category": document.category, "published_on": document.published_on,
        "unpublished_on": document.unpublished_on, "audience": document.audience,
        "services": list(document.services.all()),
    }
    form = DocumentEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form, "unpublished_on", fields={errors.AudienceServicesRequired: "services"}):
            services.document_update(document=document, **form.cleaned_data)
            messages.success(request, _("Document modifié."))
            return redirect("documents_staff:list")
    return render(request, "documents/staff/edit.html", {"form": form, "document": document})


@staff_required
@require_POST
def document_delete(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    services.document_delete(document=document)
    messages.success(request, _("Le document « %(title)s » est supprimé.") % {"title": document.title})
    return redirect("documents_staff:list")


@staff_required
def document_file(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    return files.serve(document.file.name, folder=STORAGE_FOLDER, filename=document.original_name or document.title)
