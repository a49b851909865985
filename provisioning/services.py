"""Onboarding and lifecycle of towns: create (a spare schema claimed, else a migration), rename, archive, export.

Each function is atomic: a failure leaves neither a row without a schema nor a schema
without a row (PostgreSQL DDL is transactional, and everything runs in one transaction).
"""

import json
import logging
import os
import secrets
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from tenants.current import activate_public
from tenants.models import Town, TownSlugRedirect
from tenants.opening import town_open
from tenants.routing import forget_schema, forget_slugs
from tenants.territories import default_time_zone, overseas_territory
from tenants.validators import validate_town_slug

from .spares import spare_claim
from .tasks import refill_spare_schemas

logger = logging.getLogger(__name__)


class ProvisioningError(Exception):
    """An operator's request that cannot be carried out; the message says why."""


def _schema_name() -> str:
    # Immutable and independent of the slug, so a town can be renamed freely.
    return f"town_{secrets.token_hex(6)}"


def _school_zone(*, zone: str | None, insee_code: str) -> str:
    """The zone asked for; B for a metropolitan town without one; an overseas town must name one."""
    if zone is not None:
        return zone
    territory = overseas_territory(insee_code)
    if territory is None:
        return Town.Zone.B
    raise ProvisioningError(
        _("%(territory)s (code INSEE %(code)s) : le portail ne connaît pas les vacances scolaires de ce territoire,"
          " seulement celles des zones A, B et C de métropole. Indiquez explicitement la zone dont la ville suit"
          " le calendrier (--zone A, B ou C).") % {"territory": territory.name, "code": insee_code}
    )


def _validate(*, slug: str, name: str, zone: str | None, admin_email: str | None, insee_code: str,
              time_zone: str | None) -> Town:
    try:
        validate_town_slug(slug)
    except ValidationError as error:
        raise ProvisioningError(f"Invalid slug {slug!r}: {' '.join(error.messages)}") from None
    if zone is not None and zone not in Town.Zone.values:
        raise ProvisioningError(f"Invalid school zone {zone!r}: choose A, B or C.")
    if not name.strip():
        raise ProvisioningError("The town needs a name (--name).")
    if admin_email:
        try:
            validate_email(admin_email)
        except ValidationError:
            raise ProvisioningError(f"Invalid admin e-mail {admin_email!r}.") from None
    if Town.objects.filter(slug=slug).exists():
        raise ProvisioningError(f"A town already answers at /{slug}/.")
    if TownSlugRedirect.objects.filter(old_slug=slug).exists():
        raise ProvisioningError(f"/{slug}/ is the former address of another town and still redirects there.")
    town = Town(
        slug=slug, name=name.strip(), insee_code=insee_code, time_zone=time_zone or default_time_zone(insee_code),
        schema_name=_schema_name(),
    )
    try:
        # Uniqueness: the slug is checked above, the schema name is random (and both are unique in the table).
        town.full_clean(exclude=["school_zone"], validate_unique=False)
    except ValidationError as error:
        raise ProvisioningError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
    town.school_zone = _school_zone(zone=zone, insee_code=insee_code)
    return town


def town_create(
    *,
    slug: str,
    name: str,
    zone: str | None = None,
    admin_email: str | None = None,
    demo: bool = False,
    insee_code: str = "",
    time_zone: str | None = None,
    method: str = "pool",
) -> Town:
    """Create a town that answers at `/<slug>/` at once.

    Without `zone`, a metropolitan town follows zone B and an overseas one is refused (the
    school-holiday data has no overseas calendar: the operator must choose knowingly). Without
    `time_zone`, the town's clock is that of its territory (Europe/Paris in metropolitan France).

    `method` "pool" (the default) renames a spare schema already at the code's migration state
    (see `spares`), in constant time whatever the number of towns; without one it migrates a
    new schema, as `method="migrate"` always does. `make bench` measures both.
    """
    if method not in CREATION_METHODS:
        raise ProvisioningError(f"Unknown creation method {method!r}: choose {' or '.join(CREATION_METHODS)}.")
    activate_public()
    town = _validate(slug=slug, name=name, zone=zone, admin_email=admin_email, insee_code=insee_code,
                     time_zone=time_zone)
    with transaction.atomic():
        claimed = method == "pool" and spare_claim(schema_name=town.schema_name)
        if not claimed:
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE SCHEMA {connection.ops.quote_name(town.schema_name)}")
            call_command("migrate_schemas", schema_name=town.schema_name, tenant=True, interactive=False,
                         verbosity=0, executor="standard")
            activate_public()
        town.save()
        with tenant_context(town):
            _town_setup(town, admin_email=admin_email, demo=demo)
        if method == "pool":
            transaction.on_commit(_spare_pool_refill_request)
    forget_slugs(slug)
    return town


CREATION_METHODS = ("pool", "migrate")


def _spare_pool_refill_request() -> None:
    """Ask a worker to make a spare for the next town; a broker outage only delays it (the scheduler retries)."""
    if settings.TOWN_SPARE_SCHEMAS <= 0:
        return
    try:
        refill_spare_schemas.send()
    except Exception:
        logger.warning("The spare-schema refill could not be queued; the scheduler's next run will do it.",
                       exc_info=True)


def _town_setup(town: Town, *, admin_email: str | None, demo: bool) -> None:
    from tenant_apps.accounts.services import staff_invite
    from tenant_apps.core.models import TownProfile

    TownProfile.objects.create(display_name=town.name)
    if admin_email:
        staff_invite(email=admin_email)
    if demo:
        from .demo import load_demo

        load_demo(town)


def town_rename(*, slug: str, new_slug: str) -> Town:
    """Move a town to `/<new_slug>/`; the old address answers with a permanent redirect."""
    activate_public()
    try:
        validate_town_slug(new_slug)
    except ValidationError as error:
        raise ProvisioningError(f"Invalid slug {new_slug!r}: {' '.join(error.messages)}") from None
    with transaction.atomic():
        town = Town.objects.select_for_update().filter(slug=slug).first()
        if town is None:
            raise ProvisioningError(f"No town answers at /{slug}/.")
        if Town.objects.filter(slug=new_slug).exists():
            raise ProvisioningError(f"A town already answers at /{new_slug}/.")
        other = TownSlugRedirect.objects.filter(old_slug=new_slug).exclude(town=town).first()
        if other is not None:
            raise ProvisioningError(f"/{new_slug}/ is the former address of {other.town.name}.")
        TownSlugRedirect.objects.filter(old_slug=new_slug, town=town).delete()
        TownSlugRedirect.objects.create(old_slug=slug, town=town)
        town.slug = new_slug
        town.save(update_fields=["slug", "updated_at"])
    forget_slugs(slug, new_slug)
    forget_schema(town.schema_name)
    return town


def town_archive(*, slug: str) -> Town:
    """Close the town's portal (a "portail fermé" page); its data are kept."""
    activate_public()
    with transaction.atomic():
        town = Town.objects.select_for_update().filter(slug=slug).first()
        if town is None:
            raise ProvisioningError(f"No town answers at /{slug}/.")
        if town.status == Town.Status.ARCHIVED:
            raise ProvisioningError(f"/{slug}/ is already archived.")
        town.status = Town.Status.ARCHIVED
        town.archived_at = timezone.now()
        town.save(update_fields=["status", "archived_at", "updated_at"])
    forget_slugs(slug)
    forget_schema(town.schema_name)
    return town


def _pg_dump_binary() -> str:
    """settings.PG_DUMP_PATH, else the first pg_dump on the PATH (it must not be older than the server)."""
    configured = settings.PG_DUMP_PATH
    if configured:
        if not Path(configured).is_file():
            raise ProvisioningError(f"PG_DUMP_PATH names no file: {configured}")
        return configured
    found = shutil.which("pg_dump")
    if not found:
        raise ProvisioningError("pg_dump was not found: install the PostgreSQL client or set PG_DUMP_PATH.")
    return found


def town_export(*, slug: str, directory: Path) -> list[Path]:
    """Write `<dir>/<slug>.dump` (pg_dump of the town's schema), `<dir>/town.json` (its registry row)
    and `<dir>/files/` (its files): what `town_restore` brings back."""
    activate_public()
    town = Town.objects.filter(slug=slug).first()
    if town is None:
        raise ProvisioningError(f"No town answers at /{slug}/.")
    pg_dump = _pg_dump_binary()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    db = settings.DATABASES["default"]
    dump_path = directory / f"{slug}.dump"
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = [
        pg_dump, "--format=custom", "--no-owner", f"--schema={town.schema_name}", f"--file={dump_path}",
        f"--dbname={db['NAME']}", f"--username={db.get('USER') or 'postgres'}",
    ]
    if db.get("HOST"):
        command.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        command.append(f"--port={db['PORT']}")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise ProvisioningError(f"pg_dump failed: {result.stderr.strip()}")
    files_dir = directory / "files"
    manifest_path = directory / EXPORT_MANIFEST
    manifest_path.write_text(json.dumps(_export_manifest(town), indent=2, ensure_ascii=False), encoding="utf-8")
    written = [dump_path, manifest_path, *_export_files(town, files_dir)]
    return written


EXPORT_MANIFEST = "town.json"


def _export_manifest(town: Town) -> dict[str, str]:
    """The registry row of the town (public schema, outside the dump): what `restore_town` recreates."""
    return {
        "schema_name": town.schema_name, "slug": town.slug, "name": town.name, "insee_code": town.insee_code,
        "school_zone": town.school_zone, "time_zone": town.time_zone, "status": town.status,
        "opened_at": town.opened_at.isoformat() if town.opened_at else "",
    }


def _export_files(town: Town, target: Path) -> list[Path]:
    from django.core.files.storage import default_storage

    written: list[Path] = []
    with tenant_context(town):
        pending = [""]
        while pending:
            folder = pending.pop()
            try:
                dirs, files = default_storage.listdir(folder)
            except FileNotFoundError:
                continue
            pending.extend(f"{folder}/{d}".lstrip("/") for d in dirs)
            for name in files:
                key = f"{folder}/{name}".lstrip("/")
                destination = target / key
                destination.parent.mkdir(parents=True, exist_ok=True)
                with default_storage.open(key, "rb") as source, open(destination, "wb") as out:
                    shutil.copyfileobj(source, out)
                written.append(destination)
    return written


def town_drop(*, town: Town) -> None:
    """Remove a town and its schema for good (tests and benchmarks only; operators archive)."""
    activate_public()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{town.schema_name}" CASCADE')
        TownSlugRedirect.objects.filter(town=town).delete()
        Town.objects.filter(pk=town.pk).delete()
    forget_slugs(town.slug)
    forget_schema(town.schema_name)


DEMO_SLUG = "demo"
DEMO_NAME = "Mairie de Démonstration"
DEMO_STAFF_EMAIL = "gestion@demo.portail-famille.fr"
DEMO_STAFF_PASSWORD = "Gestion-Demo-2026!"  # noqa: S105 - published demo login


def demo_town_ensure() -> tuple[Town, bool]:
    """The demo town (Lannion's address, zone B) with demo data and a staff login; created once."""
    activate_public()
    existing = Town.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing, False
    town = town_create(slug=DEMO_SLUG, name=DEMO_NAME, zone="B", insee_code="22113", demo=True)
    with tenant_context(town):
        from tenant_apps.accounts.models import User

        User.objects.create_user(DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD, is_staff=True, is_superuser=True,
                                 first_name="Gestionnaire", last_name="Démo")
    town_open(town=town, by=DEMO_STAFF_EMAIL)
    return town, True
