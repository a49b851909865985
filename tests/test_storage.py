"""Files are stored under the town's schema name, locally and on a real S3-compatible server."""

import os
import subprocess
import sys

import boto3
import pytest
from django.core.exceptions import SuspiciousFileOperation, SuspiciousOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import tenant_context

from tenants.storage import TownS3Storage


@pytest.fixture
def s3_storage(s3_server):
    return TownS3Storage(
        bucket_name=s3_server["bucket"], endpoint_url=s3_server["endpoint"], access_key=s3_server["key"],
        secret_key=s3_server["secret"], region_name="us-east-1", addressing_style="path", querystring_expire=60,
        file_overwrite=False,
    )


@pytest.fixture
def bucket(s3_server):
    client = boto3.client("s3", endpoint_url=s3_server["endpoint"], aws_access_key_id=s3_server["key"],
                          aws_secret_access_key=s3_server["secret"], region_name="us-east-1")
    return lambda prefix: [o["Key"] for o in client.list_objects_v2(Bucket=s3_server["bucket"],
                                                                      Prefix=prefix).get("Contents", [])]


@pytest.mark.s3
def test_every_s3_key_starts_with_the_towns_schema(towns, db, s3_storage, bucket):
    town_a, town_b = towns["ville-a"], towns["ville-b"]
    with tenant_context(town_a):
        name = s3_storage.save("documents/menu-decembre.pdf", ContentFile(b"%PDF-1.4 menus"))
    assert f"{town_a.schema_name}/{name}" in bucket(f"{town_a.schema_name}/")

    # The same name read from another town finds nothing: the prefix is the reader's
    with tenant_context(town_b):
        assert not s3_storage.exists(name)
    with tenant_context(town_a):
        assert s3_storage.open(name).read() == b"%PDF-1.4 menus"
        url = s3_storage.url(name)
    assert f"/{town_a.schema_name}/documents/" in url
    assert "Signature=" in url


@pytest.mark.s3
def test_a_forged_key_cannot_climb_out_of_the_towns_prefix(towns, db, s3_storage):
    town_a, town_b = towns["ville-a"], towns["ville-b"]
    with tenant_context(town_b):
        s3_storage.save("secret.pdf", ContentFile(b"B's file"))
    with tenant_context(town_a), pytest.raises(SuspiciousOperation):
        s3_storage.open(f"../{town_b.schema_name}/secret.pdf")


def test_local_files_live_under_the_towns_schema_folder(towns, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    town_a = towns["ville-a"]
    with tenant_context(town_a):
        name = default_storage.save("justificatifs/certificat.pdf", ContentFile(b"%PDF"))
        with pytest.raises(SuspiciousFileOperation):
            default_storage.open(f"../{towns['ville-b'].schema_name}/x.pdf")
    assert (tmp_path / town_a.schema_name / name).exists()


def test_settings_choose_s3_when_a_bucket_is_configured():
    env = {**os.environ, "AWS_STORAGE_BUCKET_NAME": "bucket", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:1",
           "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    output = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert output.strip() == "tenants.storage.TownS3Storage"


@pytest.mark.s3
def test_a_file_on_s3_is_downloaded_under_a_safe_name_with_its_real_type(towns, db, s3_storage, monkeypatch):
    import requests

    from tenant_apps.core import files

    monkeypatch.setattr(files, "default_storage", s3_storage)
    with tenant_context(towns["ville-a"]):
        name = s3_storage.save(files.new_key("messages", "pdf"), ContentFile(b"%PDF-1.4 certificat"))
        # When the presigned address is given for a PDF uploaded as `x.html`
        response = files.serve(name, folder="messages", filename="x.html")
    # Then the bucket answers it as a PDF named x.pdf, shown inline
    download = requests.get(response["Location"], timeout=10)
    assert download.content == b"%PDF-1.4 certificat"
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == 'inline; filename="x.pdf"'
