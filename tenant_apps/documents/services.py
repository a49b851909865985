"""Writes of the documents app: publish, change, withdraw a document; record a download."""

import datetime
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tenant_apps.accounts.models import User
from tenant_apps.catalog.models import Service
from tenant_apps.core import files
from tenant_apps.families.models import Household

from .errors import AudienceServicesRequired, DocumentDatesInvalid
from .models import STORAGE_FOLDER, Document, DocumentDownload

MAX_BYTES = 10 * 1024 * 1024


def _check_dates(published_on: datetime.date, unpublished_on: datetime.date | None) -> None:
    if unpublished_on is not None and unpublished_on < published_on:
        raise DocumentDatesInvalid()


def _check_audience(audience: str, services: Iterable[Service] | None) -> list[Service]:
    services = list(services or [])
    if audience == Document.Audience.SERVICES and not services:
        raise AudienceServicesRequired()
    return services if audience == Document.Audience.SERVICES else []


@transaction.atomic
def document_publish(
    *,
    title: str,
    category: str,
    upload: UploadedFile,
    published_on: datetime.date,
    unpublished_on: datetime.date | None = None,
    audience: str = Document.Audience.ALL,
    services: Iterable[Service] = (),
    by: User | None = None,
) -> Document:
    """Check the file (type by content, size), store it under the town's prefix, publish it."""
    _check_dates(published_on, unpublished_on)
    services = _check_audience(audience, services)
    checked = files.check_upload(upload, allowed=files.PDF_AND_IMAGES, max_bytes=MAX_BYTES)
    key = files.store(checked, STORAGE_FOLDER)
    document = Document.objects.create(
        title=title.strip(),
        category=category,
        file=key,
        content_type=checked.content_type,
        size=checked.size,
        original_name=checked.original_name,
        published_on=published_on,
        unpublished_on=unpublished_on,
        audience=audience,
        created_by=by,
    )
    document.services.set(services)
    return document


@transaction.atomic
def document_update(
    *,
    document: Document,
    title: str,
    category: str,
    published_on: datetime.date,
    unpublished_on: datetime.date | None,
    audience: str = Document.Audience.ALL,
    services: Iterable[Service] = (),
) -> Document:
    _check_dates(published_on, unpublished_on)
    services = _check_audience(audience, services)
    document.title = title.strip()
    document.category = category
    document.published_on = published_on
    document.unpublished_on = unpublished_on
    document.audience = audience
    document.save(update_fields=["title", "category", "published_on", "unpublished_on", "audience"])
    document.services.set(services)
    return document


@transaction.atomic
def document_delete(*, document: Document) -> None:
    name = document.file.name
    document.delete()
    storage = document.file.storage
    transaction.on_commit(lambda: storage.delete(name) if files.is_safe_key(name, STORAGE_FOLDER) else None)


def document_download_record(*, document: Document, household: Household) -> None:
    """Remember the household's first download (the document is no longer "recent" for it)."""
    if DocumentDownload.objects.filter(document=document, household=household).exists():
        return
    try:
        with transaction.atomic():
            DocumentDownload.objects.create(document=document, household=household, downloaded_at=timezone.now())
    except IntegrityError:
        pass  # downloaded twice at once: the first one counts
