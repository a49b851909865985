"""Files people upload (documents, message attachments, logo): checks on the way in, safe keys,
and serving them back through permission-checking views.

Keys are generated here (`<folder>/<random hex>.<ext>`), never taken from the uploaded name;
serving refuses any stored name that does not have that exact shape, so a forged row
(`../town_xxx/...`, another schema's key) is never read.
"""

import re
import secrets
from typing import TypeGuard

import filetype
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from tenants.errors import DomainError
from tenants.storage import TownS3Storage

PDF_AND_IMAGES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
}
IMAGES = {"image/png": "png", "image/jpeg": "jpg"}


class UploadRejected(DomainError):
    code = "upload_rejected"
    default_message = _("Ce fichier n'est pas accepté.")


class CheckedUpload:
    """An uploaded file whose real type (read from its first bytes) is allowed."""

    def __init__(self, file, content_type: str, extension: str):
        self.file = file
        self.content_type = content_type
        self.extension = extension
        self.size = file.size
        self.original_name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1][:200]


def check_upload(file, *, allowed: dict[str, str] = PDF_AND_IMAGES, max_bytes: int) -> CheckedUpload:
    """Refuse a file that is empty, too large, or whose content is not of an allowed type.

    The name and the browser's declared type are ignored: a script renamed `menu.pdf` fails.
    """
    if file is None or not file.size:
        raise UploadRejected(_("Le fichier est vide."), code="upload_empty")
    if file.size > max_bytes:
        raise UploadRejected(
            _("Le fichier dépasse la taille maximale de %(size)s Mo.") % {"size": _megabytes(max_bytes)},
            code="upload_too_large",
        )
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed:
        accepted = ", ".join(sorted({ext.upper() for ext in allowed.values()}))
        raise UploadRejected(
            _("Type de fichier non accepté (formats acceptés : %(types)s).") % {"types": accepted},
            code="upload_bad_type",
        )
    return CheckedUpload(file, kind.mime, allowed[kind.mime])


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 1 else f"{value:.2f}".replace(".", ",")


def new_key(folder: str, extension: str) -> str:
    """A fresh storage key in `folder`; the town prefix is added by the storage itself."""
    return f"{folder}/{secrets.token_hex(16)}.{extension}"


def is_safe_key(name: str | None, folder: str) -> TypeGuard[str]:
    """Whether `name` (a FileField's name, None when empty) is a key this module made in `folder`."""
    return bool(re.fullmatch(rf"{re.escape(folder)}/[0-9a-f]{{32}}\.(?:pdf|png|jpg)", name or ""))


def store(upload: CheckedUpload, folder: str) -> str:
    """Save the checked upload under a fresh key and return the key actually stored."""
    return default_storage.save(new_key(folder, upload.extension), upload.file)


def serve(name: str | None, *, folder: str, content_type: str, filename: str,
          inline: bool = True) -> HttpResponseBase:
    """Stream a stored file (local storage) or redirect to a short-lived presigned URL (S3).

    The caller has already checked that the requester may read it. 404 for a key of the
    wrong shape (forged) or a missing file.
    """
    if not is_safe_key(name, folder):
        raise Http404("Fichier introuvable.")
    if isinstance(default_storage, TownS3Storage):
        return HttpResponseRedirect(default_storage.url(name))
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404("Fichier introuvable.") from None
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
