"""Files people upload (documents, message attachments, logo): checks on the way in, safe keys,
and serving them back through permission-checking views.

Keys are generated here (`<folder>/<random hex>.<ext>`), never taken from the uploaded name;
serving refuses any stored name that does not have that exact shape, so a forged row
(`../town_xxx/...`, another schema's key) is never read. The name people see is the uploaded
one made safe, with the extension of the type read from the content: a PDF uploaded as
`x.html` is kept and served as `x.pdf`, never saved by a browser as a page that runs.
"""

import re
import secrets
from typing import TypeGuard

import filetype
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from tenants.storage import TownS3Storage

from .errors import UploadRejected

PDF_AND_IMAGES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
}
IMAGES = {"image/png": "png", "image/jpeg": "jpg"}
# The types a browser may show in its own tab; anything else is only ever downloaded.
INLINE_TYPES = {extension: content_type for content_type, extension in PDF_AND_IMAGES.items()}
NAME_MAX = 100


class CheckedUpload:
    """An uploaded file whose real type (read from its first bytes) is allowed."""

    def __init__(self, file, content_type: str, extension: str):
        self.file = file
        self.content_type = content_type
        self.extension = extension
        self.size = file.size
        self.original_name = safe_filename(getattr(file, "name", "") or "", extension)


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


def safe_filename(name: str, extension: str, *, default: str = "fichier") -> str:
    """`name` without its folders and extension, letters, digits, `-` and `_` only, then `.extension`:
    `../Certificat médical.html` → `Certificat-médical.pdf` for a PDF."""
    stem = re.split(r"[/\\]", name)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    stem = re.sub(r"[^\w-]+", "-", stem).strip("-_")[:NAME_MAX].strip("-_")
    return f"{stem or default}.{extension}"


def new_key(folder: str, extension: str) -> str:
    """A fresh storage key in `folder`; the town prefix is added by the storage itself."""
    return f"{folder}/{secrets.token_hex(16)}.{extension}"


def is_safe_key(name: str | None, folder: str) -> TypeGuard[str]:
    """Whether `name` (a FileField's name, None when empty) is a key this module made in `folder`."""
    return bool(re.fullmatch(rf"{re.escape(folder)}/[0-9a-f]{{32}}\.(?:pdf|png|jpg)", name or ""))


def store(upload: CheckedUpload, folder: str) -> str:
    """Save the checked upload under a fresh key and return the key actually stored."""
    return default_storage.save(new_key(folder, upload.extension), upload.file)


def serve(name: str | None, *, folder: str, filename: str, inline: bool = True) -> HttpResponseBase:
    """Stream a stored file (local storage) or redirect to a short-lived presigned URL (S3).

    The caller has already checked that the requester may read it. 404 for a key of the
    wrong shape (forged) or a missing file. The type and the download name's extension are the
    key's (the type detected on upload), whatever `filename` says; the file opens in the
    browser (`inline`) only if it is a PDF or an image, else it is downloaded.
    """
    if not is_safe_key(name, folder):
        raise Http404(_("Fichier introuvable."))
    extension = name.rsplit(".", 1)[-1]
    content_type = INLINE_TYPES.get(extension, "application/octet-stream")
    download_name = safe_filename(filename, extension)
    as_attachment = not (inline and extension in INLINE_TYPES)
    if isinstance(default_storage, TownS3Storage):
        disposition = content_disposition_header(as_attachment, download_name)
        return HttpResponseRedirect(default_storage.url(name, parameters={
            "ResponseContentType": content_type, "ResponseContentDisposition": disposition,
        }))
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404(_("Fichier introuvable.")) from None
    response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=download_name)
    response["Cache-Control"] = "private, no-store"
    return response
