"""Parents' pages of the documents app: "MES DOCUMENTS" and the download that checks access."""

from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tenant_apps.core import files
from tenant_apps.core.clock import town_today
from tenant_apps.families.selectors import household_of

from . import selectors, services
from .models import STORAGE_FOLDER


@login_required
def list(request):  # noqa: A001 - URL name kept from the skeleton
    household = household_of(request.user)
    documents = selectors.documents_of(household, town_today())
    return render(request, "documents/list.html", {"documents": documents})


@login_required
def download(request, pk: int):
    household = household_of(request.user)
    document = selectors.document_of(household, pk, town_today())
    response = files.serve(
        document.file.name, folder=STORAGE_FOLDER,
        filename=document.original_name or f"{document.title}{PurePath(document.file.name or '').suffix}",
    )
    services.document_download_record(document=document, household=household)
    return response
