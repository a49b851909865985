"""Documents: staff publish them, families see those addressed to them while they are online,
and downloads never serve a file the household may not read."""

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import tenant_context

from tenant_apps.core.errors import UploadRejected
from tenant_apps.documents import errors, services
from tenant_apps.documents.models import Document, DocumentDownload
from tenant_apps.documents.selectors import documents_of
from tests.support.files import PDF_BYTES, PNG_BYTES, pdf_upload
from tests.support.fixtures import staff_create

NOW = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 12, 10)


def publish(title="Menus de décembre", published_on=TODAY, unpublished_on=None, upload=None):
    return services.document_publish(title=title, category=Document.Category.MENUS,
                                     upload=upload or pdf_upload(), published_on=published_on,
                                     unpublished_on=unpublished_on)


def titles(household, day):
    return [document.title for document in documents_of(household, day)]


def test_a_document_is_online_from_its_publication_date_to_its_end_date_inclusive(family):
    household = family.household
    publish("Menus", published_on=datetime.date(2026, 12, 1), unpublished_on=datetime.date(2026, 12, 31))

    assert titles(household, datetime.date(2026, 11, 30)) == []
    assert titles(household, datetime.date(2026, 12, 1)) == ["Menus"]
    assert titles(household, datetime.date(2026, 12, 31)) == ["Menus"]
    assert titles(household, datetime.date(2027, 1, 1)) == []


def test_without_end_date_a_document_stays_online_and_the_list_is_newest_first(family):
    household = family.household
    publish("Règlement", published_on=datetime.date(2025, 9, 1))
    publish("Menus de décembre", published_on=datetime.date(2026, 12, 1))
    publish("Activités", published_on=datetime.date(2026, 11, 15))
    assert titles(household, datetime.date(2027, 6, 1)) == ["Menus de décembre", "Activités", "Règlement"]


def test_documents_addressed_to_all_families_reach_every_household(family):
    from tests.support.fixtures import family_create

    ours = family.household
    theirs = family_create("BERNARD", children=()).household
    publish("Menus")
    assert titles(ours, TODAY) == titles(theirs, TODAY) == ["Menus"]


def test_an_end_date_before_the_publication_date_is_refused(town):
    with pytest.raises(errors.DocumentDatesInvalid):
        publish(published_on=TODAY, unpublished_on=TODAY - datetime.timedelta(days=1))
    assert not Document.objects.exists()


def test_the_file_type_is_read_from_the_content_not_from_the_name(town):
    script = SimpleUploadedFile("menus.pdf", b"#!/bin/sh\nrm -rf /\n", content_type="application/pdf")
    with pytest.raises(UploadRejected) as refused:
        publish(upload=script)
    assert refused.value.code == "upload_bad_type"
    image = publish(upload=SimpleUploadedFile("affiche.bin", PNG_BYTES, content_type="application/octet-stream"))
    assert image.content_type == "image/png" and image.file.name.endswith(".png")


def test_a_file_over_the_size_limit_is_refused(town, monkeypatch):
    monkeypatch.setattr(services, "MAX_BYTES", 100)
    with pytest.raises(UploadRejected) as refused:
        publish(upload=pdf_upload(content=PDF_BYTES + b" " * 200))
    assert refused.value.code == "upload_too_large"


def test_stored_files_are_keyed_under_the_towns_schema(town):
    document = publish()
    assert document.file.name.startswith("documents/") and ".." not in document.file.name
    assert default_storage.path(document.file.name).startswith(
        str(default_storage.location).rstrip("/") + "/"
    ) and f"/{connection.schema_name}/documents/" in default_storage.path(document.file.name)


@time_machine.travel(NOW, tick=False)
def test_staff_publish_from_their_screen_and_the_parent_downloads_it_in_a_new_tab(client, family):
    user, household = family.user, family.household
    client.force_login(staff_create())
    response = client.post("/ville-a/gestion/documents/", {
        "title": "Menus de décembre", "category": "menus", "file": pdf_upload("menus-decembre.pdf"),
        "published_on": "2026-12-10", "unpublished_on": "", "audience": "all",
    })
    assert response.status_code == 302
    document = Document.objects.get()

    client.force_login(user)
    page = client.get("/ville-a/mes-documents/").content.decode()
    assert "Menus de décembre" in page
    assert f'href="/ville-a/mes-documents/{document.pk}/telecharger/" target="_blank" rel="noopener"' in page

    download = client.get(f"/ville-a/mes-documents/{document.pk}/telecharger/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("inline")
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert DocumentDownload.objects.filter(document=document, household=household).exists()


def test_staff_see_a_clear_message_when_the_file_is_not_accepted(client, staff):
    client.force_login(staff)
    response = client.post("/ville-a/gestion/documents/", {
        "title": "Menus", "category": "menus", "published_on": "2026-12-10", "audience": "all",
        "file": SimpleUploadedFile("menus.pdf", b"<html>not a pdf</html>"),
    })
    assert response.status_code == 200
    assert "Type de fichier non accepté (formats acceptés : JPG, PDF, PNG)." in response.content.decode()
    assert not Document.objects.exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("dates", [
    {"published_on": TODAY + datetime.timedelta(days=1)},  # not yet online
    {"published_on": TODAY - datetime.timedelta(days=9), "unpublished_on": TODAY - datetime.timedelta(days=1)},
])
def test_a_document_not_online_cannot_be_downloaded(client, family, dates):
    document = publish(**dates)
    client.force_login(family.user)
    assert client.get(f"/ville-a/mes-documents/{document.pk}/telecharger/").status_code == 404
    assert client.get(f"/ville-a/api/v1/documents/{document.pk}/download/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_someone_who_is_not_a_guardian_of_a_household_cannot_download(client, town):
    document = publish()
    client.force_login(staff_create())
    assert client.get(f"/ville-a/mes-documents/{document.pk}/telecharger/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_document_of_another_town_is_never_served(client, family, town_b):
    # Given town B publishes a document (its own schema, its own storage prefix)
    with tenant_context(town_b):
        theirs = publish("Menus de Ville-B")
        their_key = theirs.file.name
    client.force_login(family.user)

    # When a parent of town A asks for it by id, or a row of town A points at its key
    by_id = client.get(f"/ville-a/mes-documents/{theirs.pk}/telecharger/")
    mirrored = Document.objects.create(title="Copie", file=their_key, content_type="application/pdf",
                                       published_on=TODAY)
    by_key = client.get(f"/ville-a/mes-documents/{mirrored.pk}/telecharger/")

    # Then nothing of town B is served: the key is looked up under town A's prefix only
    assert by_id.status_code == 404
    assert by_key.status_code == 404


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("forged", [
    "../town_b/documents/0123456789abcdef0123456789abcdef.pdf",
    "documents/../../town_b/documents/0123456789abcdef0123456789abcdef.pdf",
    "/etc/passwd",
    "town_b/documents/0123456789abcdef0123456789abcdef.pdf",
    "documents/menus.pdf",
])
def test_a_forged_storage_key_is_refused(client, family, town_b, forged):
    # Given a file that really exists in town B's storage
    with tenant_context(town_b):
        default_storage.save("documents/0123456789abcdef0123456789abcdef.pdf", ContentFile(b"%PDF-1.4 secret of B"))
    document = Document.objects.create(title="Piège", file=forged, content_type="application/pdf", published_on=TODAY)
    client.force_login(family.user)

    response = client.get(f"/ville-a/mes-documents/{document.pk}/telecharger/")

    assert response.status_code == 404
    assert b"secret of B" not in b"".join(getattr(response, "streaming_content", [response.content]))


@time_machine.travel(NOW, tick=False)
def test_with_s3_the_download_redirects_to_a_short_lived_presigned_url(client, family, settings):
    document = Document.objects.create(title="Menus", file="documents/0123456789abcdef0123456789abcdef.pdf",
                                       content_type="application/pdf", published_on=TODAY)
    settings.AWS_STORAGE_BUCKET_NAME = "portail"
    settings.AWS_S3_ENDPOINT_URL = "http://127.0.0.1:9"
    settings.AWS_ACCESS_KEY_ID = "test"
    settings.AWS_SECRET_ACCESS_KEY = "test-secret"
    settings.AWS_QUERYSTRING_EXPIRE = 120
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tenants.storage.TownS3Storage"}}
    client.force_login(family.user)

    response = client.get(f"/ville-a/mes-documents/{document.pk}/telecharger/")

    assert response.status_code == 302
    location = response["Location"]
    assert f"/portail/{connection.schema_name}/documents/0123456789abcdef0123456789abcdef.pdf?" in location
    assert "Expires=" in location or "X-Amz-Expires=120" in location


@time_machine.travel(NOW, tick=False)
def test_the_api_lists_the_households_documents_and_downloads_them(client, family):
    document = publish("Menus")
    publish("Plus tard", published_on=TODAY + datetime.timedelta(days=3))
    client.force_login(family.user)
    data = client.get("/ville-a/api/v1/documents/").json()
    assert [item["title"] for item in data] == ["Menus"]
    assert data[0]["is_new"] is True and data[0]["category_label"] == "Menus"
    response = client.get(data[0]["download_url"])
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert client.get("/ville-a/api/v1/documents/").json()[0]["is_new"] is False
    assert document.pk == data[0]["id"]


@time_machine.travel(NOW, tick=False)
def test_a_document_row_pointing_at_another_kind_of_file_of_the_town_is_refused(client, family):
    # Given a private file of the same town (a message attachment of some household)
    private_key = default_storage.save("messages/0123456789abcdef0123456789abcdef.pdf",
                                       ContentFile(b"%PDF-1.4 private attachment"))
    document = Document.objects.create(title="Piège", file=private_key, content_type="application/pdf",
                                       published_on=TODAY)
    client.force_login(family.user)

    # Then the documents download refuses a key outside the documents folder
    assert client.get(f"/ville-a/mes-documents/{document.pk}/telecharger/").status_code == 404


def enrol(child, service, school_year):
    from tenant_apps.catalog.models import Enrolment

    Enrolment.objects.create(child=child, service=service, school_year=school_year)


@time_machine.travel(NOW, tick=False)
def test_a_document_for_given_services_reaches_only_families_enrolled_this_school_year(client, family):
    from tenant_apps.catalog.models import Service
    from tests.support.fixtures import family_create

    user, ours = family.user, family.household
    cantine = Service.objects.create(name="Repas Enfant")
    alsh = Service.objects.create(name="ALSH Mercredi matin")
    garderie = Service.objects.create(name="Accueil périscolaire")
    last_year = family_create("ANCIENS", children=("Zoé",), first_name="Paul")
    last_year_user, last_year = last_year.user, last_year.household
    elsewhere = family_create("AILLEURS", children=("Tom",), first_name="Jean").household
    enrol(ours.children.get(first_name="Anna"), cantine, "2026-2027")
    enrol(last_year.children.get(), cantine, "2025-2026")
    enrol(elsewhere.children.get(), garderie, "2026-2027")

    # Given a menu addressed to the canteen and the ALSH families, and rules for everyone
    menu = services.document_publish(title="Menus de décembre", category=Document.Category.MENUS,
                                     upload=pdf_upload(), published_on=TODAY,
                                     audience=Document.Audience.SERVICES, services=[cantine, alsh])
    publish("Règlement intérieur")

    # Then only the household with a child enrolled this school year sees the menu
    assert titles(ours, TODAY) == ["Règlement intérieur", "Menus de décembre"]
    assert titles(last_year, TODAY) == ["Règlement intérieur"]
    assert titles(elsewhere, TODAY) == ["Règlement intérieur"]

    # and another household cannot download it, even knowing its address
    client.force_login(last_year_user)
    assert client.get(f"/ville-a/mes-documents/{menu.pk}/telecharger/").status_code == 404
    assert client.get(f"/ville-a/api/v1/documents/{menu.pk}/download/").status_code == 404
    client.force_login(user)
    assert client.get(f"/ville-a/mes-documents/{menu.pk}/telecharger/").status_code == 200


def test_a_document_for_enrolled_families_needs_at_least_one_service(client, staff):
    with pytest.raises(errors.AudienceServicesRequired):
        services.document_publish(title="Menus", category=Document.Category.MENUS, upload=pdf_upload(),
                                  published_on=TODAY, audience=Document.Audience.SERVICES, services=[])
    client.force_login(staff)
    page = client.post("/ville-a/gestion/documents/", {
        "title": "Menus", "category": "menus", "file": pdf_upload(), "published_on": "2026-12-10",
        "audience": "services",
    }).content.decode()
    assert "Choisissez au moins une prestation pour les familles inscrites." in page
    assert not Document.objects.exists()


def test_staff_change_the_dates_and_withdraw_a_document(client, staff):
    document = publish("Menus", published_on=datetime.date(2026, 12, 1))
    client.force_login(staff)
    refused = client.post(f"/ville-a/gestion/documents/{document.pk}/", {
        "title": "Menus", "category": "menus", "published_on": "2026-12-01", "unpublished_on": "2026-11-30",
        "audience": "all",
    })
    assert "La date de fin doit être postérieure" in refused.content.decode()
    client.post(f"/ville-a/gestion/documents/{document.pk}/", {
        "title": "Menus de décembre", "category": "menus", "published_on": "2026-12-01",
        "unpublished_on": "2026-12-31", "audience": "all",
    })
    document.refresh_from_db()
    assert (document.title, document.unpublished_on) == ("Menus de décembre", datetime.date(2026, 12, 31))

    key = document.file.name
    client.post(f"/ville-a/gestion/documents/{document.pk}/supprimer/")
    assert not Document.objects.exists()
    assert default_storage.exists(key)  # removed only once the deletion is committed (test rolls back)
