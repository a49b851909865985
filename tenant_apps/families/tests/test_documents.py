"""Mes documents: PDF/JPEG/PNG only, checked by content; size-limited; downloaded only by the household."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from .. import errors, services
from ..demo import DEMO_PDF
from ..models import ChildDocument

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82")


def upload(client, child, name, content, title="Certificat médical", **kwargs):
    return client.post(f"/ville-a/mes-enfants/{child.pk}/documents/ajouter/",
                       {"title": title, "file": SimpleUploadedFile(name, content)}, **kwargs)


def test_a_parent_uploads_a_certificate_and_downloads_it_back(parent_client, family):
    response = upload(parent_client, family.child, "certificat.pdf", DEMO_PDF)
    assert response.status_code == 302
    document = ChildDocument.objects.get(child=family.child, title="Certificat médical")
    assert document.content_type == "application/pdf"
    # Stored through the default storage (the town's prefix is applied by the storage)
    assert default_storage.exists(document.file.name)
    assert not document.file.name.endswith("certificat.pdf")
    download = parent_client.get(f"/ville-a/mes-enfants/{family.child.pk}/documents/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == DEMO_PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]


def test_a_png_is_accepted(parent_client, family):
    assert upload(parent_client, family.child, "photo.png", PNG).status_code == 302


def test_a_text_file_named_pdf_is_refused_with_a_french_message(parent_client, family):
    response = upload(parent_client, family.child, "certificat.pdf", b"Je suis un simple fichier texte.\n" * 20)
    assert response.status_code == 400
    assert "Type de fichier non accepté (formats acceptés : JPG, PDF, PNG)" in response.content.decode()
    assert not ChildDocument.objects.filter(title="Certificat médical").exists()


def test_a_file_over_the_size_limit_is_refused(parent_client, family, settings):
    settings.FAMILY_DOCUMENT_MAX_BYTES = 1024
    response = upload(parent_client, family.child, "gros.pdf", DEMO_PDF + b"0" * 2048)
    assert response.status_code == 400
    assert "Le fichier dépasse la taille maximale" in response.content.decode()


def test_the_default_limit_is_five_megabytes(family):
    big = SimpleUploadedFile("gros.pdf", DEMO_PDF + b"0" * (5 * 1024 * 1024))
    with pytest.raises(errors.InvalidValue) as refused:
        services.document_add(actor=family.guardian.user, child=family.child, title="Gros", file=big)
    assert "5 Mo" in refused.value.message


def test_a_parent_removes_a_document(parent_client, family, records):
    document = records["document"]
    parent_client.post(f"/ville-a/mes-enfants/{family.child.pk}/documents/{document.pk}/supprimer/")
    assert not ChildDocument.objects.filter(pk=document.pk).exists()


def test_staff_download_a_childs_document(staff_client, family, records):
    document = records["document"]
    response = staff_client.get(f"/ville-a/gestion/familles/documents/{document.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == DEMO_PDF
