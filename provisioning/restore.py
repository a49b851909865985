"""Bring a town back from an `export_town` directory (schema and files), under its slug or a new one.

Atomic: the files are copied first under a fresh schema name nobody uses yet; the dump is then
loaded into a staging schema, renamed and registered in one transaction. Any failure rolls the
transaction back and deletes the copied files, so nothing is left half-restored.
"""

import json
import logging
import re
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.current import activate_public
from tenants.models import Town, TownSlugRedirect
from tenants.routing import forget_schema, forget_slugs
from tenants.validators import validate_town_slug

from .services import EXPORT_MANIFEST, ProvisioningError, _pg_dump_binary, _schema_name

logger = logging.getLogger(__name__)

_MANIFEST_FIELDS = ("name", "insee_code", "school_zone", "time_zone", "status", "opened_at")
_SCHEMA_NAME = re.compile(r"^town_[a-z0-9_]{1,57}$")


@dataclass(frozen=True)
class Export:
    """A checked `export_town` directory."""

    dump: Path
    files: Path
    manifest: dict[str, str]

    @property
    def schema_name(self) -> str:
        return self.manifest["schema_name"]


def town_restore(*, directory: Path, slug: str, force: bool = False) -> Town:
    """Recreate the exported town at `/<slug>/` with a new schema; `force` replaces a town already there."""
    activate_public()
    try:
        validate_town_slug(slug)
    except ValidationError as error:
        raise ProvisioningError(f"Invalid slug {slug!r}: {' '.join(error.messages)}") from None
    export = export_read(Path(directory))
    existing = Town.objects.filter(slug=slug).first()
    if existing is not None and not force:
        raise ProvisioningError(
            f"A town already answers at /{slug}/: restore under another slug (--as), or add --force to replace"
            " it (its data and files are deleted)."
        )
    redirect = TownSlugRedirect.objects.filter(old_slug=slug).exclude(town=existing).first()
    if redirect is not None:
        raise ProvisioningError(f"/{slug}/ is the former address of {redirect.town.name} and still redirects there.")
    _archive_check(export)
    replaced_schema = existing.schema_name if existing is not None else None
    schema_name = _schema_name()
    copied = _files_copy(export.files, schema_name)
    try:
        town = _schema_restore(export, slug=slug, schema_name=schema_name, replacing=existing)
    except BaseException:
        _files_delete(schema_name, copied)
        raise
    finally:
        activate_public()
    if replaced_schema is not None:
        _files_delete(replaced_schema, list(_storage_keys(replaced_schema)))
        forget_schema(replaced_schema)
    forget_slugs(slug)
    forget_schema(schema_name)
    return town


def export_read(directory: Path) -> Export:
    """The export in `directory`, refused (ProvisioningError) when a part is missing or unreadable."""
    manifest_path = directory / EXPORT_MANIFEST
    dumps = sorted(directory.glob("*.dump")) if directory.is_dir() else []
    if len(dumps) != 1 or not manifest_path.is_file():
        raise ProvisioningError(
            f"{directory} is not a town export: expected one <slug>.dump and {EXPORT_MANIFEST} (export_town writes"
            " them)."
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ProvisioningError(f"{manifest_path} is corrupt: {error}") from None
    if not isinstance(manifest, dict) or not _SCHEMA_NAME.match(str(manifest.get("schema_name", ""))):
        raise ProvisioningError(f"{manifest_path} is corrupt: it names no town schema.")
    return Export(dump=dumps[0], files=directory / "files", manifest={k: str(v) for k, v in manifest.items()})


def _pg_restore_binary() -> str:
    """The pg_restore beside the pg_dump export_town uses (PG_DUMP_PATH), of the same version."""
    sibling = Path(_pg_dump_binary()).with_name("pg_restore")
    if sibling.is_file():
        return str(sibling)
    found = shutil.which("pg_restore")
    if not found:
        raise ProvisioningError("pg_restore was not found: install the PostgreSQL client or set PG_DUMP_PATH.")
    return found


def _archive_check(export: Export) -> None:
    """Refuse an archive pg_restore cannot read, or one that is not the schema town.json names."""
    result = subprocess.run(  # noqa: S603 - fixed binary, no shell
        [_pg_restore_binary(), "--list", str(export.dump)], capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise ProvisioningError(f"{export.dump} is corrupt or unreadable: {result.stderr.strip()}")
    if not re.search(rf"^\d+; \d+ \d+ SCHEMA - {re.escape(export.schema_name)}( |$)", result.stdout, re.MULTILINE):
        raise ProvisioningError(f"{export.dump} holds no schema {export.schema_name}: not this town's export.")


def _schema_restore(export: Export, *, slug: str, schema_name: str, replacing: Town | None) -> Town:
    staging = f"restore_{secrets.token_hex(6)}"
    with transaction.atomic():
        with connection.cursor() as cursor:
            _script_load(cursor, export, target=staging)
            if replacing is not None:
                cursor.execute(f'DROP SCHEMA "{replacing.schema_name}" CASCADE')
            cursor.execute(f'ALTER SCHEMA "{staging}" RENAME TO "{schema_name}"')
        town = replacing or Town(slug=slug)
        for field in _MANIFEST_FIELDS:
            if field in export.manifest:
                value: str | None = export.manifest[field]
                if field == "opened_at" and value in ("", "None"):
                    value = None  # exported while "en préparation"
                setattr(town, field, value)
        if "opened_at" not in export.manifest:  # exported before the "en préparation" state: it was open
            town.opened_at = timezone.now()
        town.schema_name = schema_name
        try:
            town.full_clean(exclude=["slug"] if replacing else None)
        except ValidationError as error:
            raise ProvisioningError(
                "The export's town.json is corrupt: "
                + "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            ) from None
        town.save()
    return town


def _script_load(cursor: Any, export: Export, *, target: str) -> None:
    """Stream pg_restore's SQL script into `cursor`, the town's schema renamed `target` on the way.

    The rows go through COPY as they come (a large town never sits in memory). Session settings
    and psql meta-commands are left out: the load runs in the application's connection, whose
    search_path django-tenants owns. Any failure raises inside the caller's transaction.
    """
    name = re.compile(rf"(?<![\w$]){re.escape(export.schema_name)}(?![\w$])")
    create_schema = f"CREATE SCHEMA {export.schema_name};"
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 - fixed binary, no shell
            [_pg_restore_binary(), "--no-owner", "--no-privileges", "--file=-", str(export.dump)],
            stdout=subprocess.PIPE, stderr=errors,
        )
        assert process.stdout is not None  # noqa: S101 - stdout=PIPE
        try:
            _statements_run(cursor, process.stdout, name=name, target=target, create_schema=create_schema)
        except Exception as error:
            process.kill()
            process.wait()
            errors.seek(0)
            detail = errors.read().decode(errors="replace").strip() or str(error)
            raise ProvisioningError(f"{export.dump} could not be restored: {detail}") from None
        if process.wait() != 0:
            errors.seek(0)
            raise ProvisioningError(
                f"{export.dump} is corrupt or unreadable: {errors.read().decode(errors='replace').strip()}")


def _statements_run(cursor: Any, lines: IO[bytes], *, name: re.Pattern[str], target: str,
                    create_schema: str) -> None:
    sql: list[str] = []
    seen_schema = False

    def flush() -> None:
        if not seen_schema:  # never run a statement that would not land in the staging schema
            raise ProvisioningError("the script does not start by creating the town's schema")
        text = "\n".join(sql)
        sql.clear()
        if text.strip():
            cursor.execute(text)

    for raw in lines:
        line = raw.decode().rstrip("\n")
        if line.startswith("COPY ") and line.endswith("FROM stdin;"):
            flush()
            with cursor.cursor.copy(name.sub(target, line.removesuffix(";"))) as copy:
                for row in lines:
                    if row == b"\\.\n":
                        break
                    copy.write(row)
                else:
                    raise ProvisioningError("the dump is truncated: a COPY block has no end")
        elif line.startswith(("SET ", "\\")) or line.startswith("SELECT pg_catalog.set_config('search_path'"):
            continue
        else:
            seen_schema = seen_schema or line == create_schema
            sql.append(name.sub(target, line))
    flush()


def _storage_keys(schema_name: str) -> Iterator[str]:
    with schema_context(schema_name):
        pending = [""]
        while pending:
            folder = pending.pop()
            try:
                dirs, files = default_storage.listdir(folder)
            except FileNotFoundError:
                continue
            pending.extend(f"{folder}/{d}".lstrip("/") for d in dirs)
            yield from (f"{folder}/{name}".lstrip("/") for name in files)


def _files_copy(source: Path, schema_name: str) -> list[str]:
    """Copy the exported files into the storage of `schema_name` (under the same keys)."""
    copied: list[str] = []
    if not source.is_dir():
        return copied
    try:
        with schema_context(schema_name):
            for path in sorted(p for p in source.rglob("*") if p.is_file()):
                key = path.relative_to(source).as_posix()
                with path.open("rb") as handle:
                    saved = default_storage.save(key, File(handle))
                copied.append(saved)
                if saved != key:
                    raise ProvisioningError(f"The file {key} could not be stored under its own name.")
    except BaseException:
        _files_delete(schema_name, copied)
        raise
    return copied


def _files_delete(schema_name: str, keys: list[str]) -> None:
    with schema_context(schema_name):
        for key in keys:
            try:
                default_storage.delete(key)
            except OSError:
                logger.warning("restore: could not delete %s of schema %s", key, schema_name)
        if isinstance(default_storage, FileSystemStorage):
            _prune_empty_folders(Path(default_storage.location))


def _prune_empty_folders(root: Path) -> None:
    """Local storage keeps the folders of deleted files: remove the empty ones, the town's own included."""
    if not root.is_dir():
        return
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if not any(root.iterdir()):
        root.rmdir()
