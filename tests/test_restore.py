"""Restoring a town from its export: same data, same files, all or nothing."""

import datetime as dt
import io
import shutil
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from provisioning.services import town_create, town_drop
from tenants.current import activate_public
from tenants.models import Town
from tests.support.fixtures import family_create

pytestmark = pytest.mark.usefixtures("live_db")


@pytest.fixture
def made():
    """Towns made by a test, dropped after it."""
    towns: list[Town] = []
    yield towns
    activate_public()
    for town in Town.objects.filter(pk__in=[t.pk for t in towns if t.pk]):
        town_drop(town=town)
    for town in towns:  # every schema a test's town had: the original's and the restored ones
        shutil.rmtree(Path(settings.MEDIA_ROOT) / town.schema_name, ignore_errors=True)


def _town_with_families(made, slug: str) -> Town:
    from tenant_apps.documents.services import document_publish
    from tests.support.files import PDF_BYTES, pdf_upload

    town = town_create(slug=slug, name="Mairie de Plouha", zone="B", insee_code="22222")
    made.append(town)
    with tenant_context(town):
        family_create("ALAIN")
        family_create("BERNARD", first_name="Paul", children=("Léa",))
        document_publish(title="Menus de mars", category="menus", upload=pdf_upload(content=PDF_BYTES),
                         published_on=dt.date(2026, 3, 1))
    activate_public()
    return town


def _contents(town: Town) -> dict:
    """What the town holds, as a person would compare it: rows of several tables and the files' bytes."""
    from tenant_apps.accounts.models import User
    from tenant_apps.core.models import TownProfile
    from tenant_apps.documents.models import Document
    from tenant_apps.families.models import Child, Household

    with tenant_context(town):
        contents = {
            "profile": list(TownProfile.objects.values_list("display_name", flat=True)),
            "households": sorted(Household.objects.values_list("id", "name")),
            "children": sorted(Child.objects.values_list("id", "first_name", "birth_date", "household_id")),
            "users": sorted(User.objects.values_list("id", "email", "password")),
            "documents": sorted(Document.objects.values_list("id", "title", "file")),
            "files": {doc.file.name: doc.file.read() for doc in Document.objects.all()},
        }
    activate_public()
    return contents


def _export(town: Town, directory: Path) -> Path:
    call_command("export_town", town.slug, str(directory), stdout=io.StringIO())
    return directory


def _restore(export: Path, slug: str, *extra: str) -> str:
    out = io.StringIO()
    call_command("restore_town", str(export), "--as", slug, *extra, stdout=out)
    return out.getvalue()


def _leftovers() -> tuple[set[str], set[str]]:
    """Town schemas in the database and town folders in the media root."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname ~ '^(town|restore)_'")
        schemas = {row[0] for row in cursor.fetchall()}
    media = Path(settings.MEDIA_ROOT)
    folders = {p.name for p in media.iterdir()} if media.is_dir() else set()
    return schemas, folders


def test_export_drop_restore_gives_back_the_same_data_and_files(made, tmp_path):
    # Given Plouha with two families and a published menu, exported
    slug = f"plouha-{uuid.uuid4().hex[:6]}"
    town = _town_with_families(made, slug)
    before = _contents(town)
    export = _export(town, tmp_path / "export")

    # When the town is dropped, then restored under its slug
    town_drop(town=town)
    message = _restore(export, slug)

    # Then the same rows and the same file bytes are back, and the portal answers at /<slug>/
    restored = Town.objects.get(slug=slug)
    made.append(restored)
    assert f"Restored Mairie de Plouha at /{slug}/" in message
    assert (restored.name, restored.insee_code, restored.school_zone) == ("Mairie de Plouha", "22222", "B")
    assert _contents(restored) == before
    assert before["files"] and before["children"] and before["users"]
    assert Client().get(f"/{slug}/connexion/").status_code == 200


def test_restore_under_a_new_slug_beside_the_original_keeps_the_two_towns_apart(made, tmp_path):
    from tenant_apps.documents.models import Document
    from tenant_apps.families.models import Child

    town = _town_with_families(made, f"plouha-{uuid.uuid4().hex[:6]}")
    export = _export(town, tmp_path / "export")

    # When the export is restored as a copy while the original still runs
    copy_slug = f"copie-{uuid.uuid4().hex[:6]}"
    _restore(export, copy_slug)
    copy = Town.objects.get(slug=copy_slug)
    made.append(copy)

    # Then the copy has its own schema and the same contents
    assert copy.schema_name != town.schema_name
    assert _contents(copy) == _contents(town)

    # And a change in the copy (a child removed, a file deleted) leaves the original untouched
    with tenant_context(copy):
        Child.objects.filter(first_name="Léa").delete()
        document = Document.objects.get()
        default_storage.delete(document.file.name)
    activate_public()
    original = _contents(town)
    assert "Léa" in [child[1] for child in original["children"]]
    assert list(original["files"].values())[0].startswith(b"%PDF")


def test_restore_over_a_town_in_place_needs_force(made, tmp_path):
    from tenant_apps.families.models import Household

    slug = f"plouha-{uuid.uuid4().hex[:6]}"
    town = _town_with_families(made, slug)
    export = _export(town, tmp_path / "export")
    before = _contents(town)
    with tenant_context(town):
        Household.objects.filter(name="BERNARD").delete()
    activate_public()

    # When the operator restores over the running town without --force, it is refused and nothing changes
    with pytest.raises(CommandError, match=f"A town already answers at /{slug}/.*--force"):
        _restore(export, slug)
    assert Town.objects.get(slug=slug).schema_name == town.schema_name

    # With --force the town is replaced by the export (the deleted household is back), its old schema gone
    _restore(export, slug, "--force")
    replaced = Town.objects.get(slug=slug)
    made.append(replaced)
    assert replaced.pk == town.pk
    assert replaced.schema_name != town.schema_name
    assert _contents(replaced) == before
    assert town.schema_name not in _leftovers()[0]


def test_a_corrupt_export_is_refused_and_leaves_nothing(made, tmp_path):
    town = _town_with_families(made, f"plouha-{uuid.uuid4().hex[:6]}")
    export = _export(town, tmp_path / "export")
    schemas, folders = _leftovers()
    slug = f"abime-{uuid.uuid4().hex[:6]}"

    # A truncated dump
    dump = next(export.glob("*.dump"))
    whole = dump.read_bytes()
    dump.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(CommandError, match="corrupt or unreadable"):
        _restore(export, slug)
    assert not Town.objects.filter(slug=slug).exists()
    assert _leftovers() == (schemas, folders)

    # A dump that loads but a registry row that cannot be made: the loaded schema and copied files go away
    dump.write_bytes(whole)
    manifest = export / "town.json"
    manifest.write_text(manifest.read_text().replace("Europe/Paris", "Europe/Atlantis"))
    with pytest.raises(CommandError, match="town.json is corrupt"):
        _restore(export, slug)
    assert not Town.objects.filter(slug=slug).exists()
    assert _leftovers() == (schemas, folders)

    # A town.json that names another schema than the dump's (two exports mixed up)
    manifest.write_text(manifest.read_text().replace("Europe/Atlantis", "Europe/Paris")
                        .replace(town.schema_name, "town_000000000000"))
    with pytest.raises(CommandError, match="holds no schema town_000000000000"):
        _restore(export, slug)
    assert _leftovers() == (schemas, folders)

    # A directory that is no export at all
    with pytest.raises(CommandError, match="is not a town export"):
        _restore(tmp_path / "nothing", slug)
