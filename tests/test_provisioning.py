"""Onboarding towns: create, rename, archive, export; errors and atomicity."""

import datetime as dt
import io
import re
import subprocess
import sys
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_exists, tenant_context

from provisioning import services
from provisioning.services import town_create
from tenant_apps.catalog.calendar import TownCalendar
from tenants.models import Town, TownSlugRedirect
from tests.support.database import database_url


def test_create_town_answers_at_once_and_invites_its_first_gestionnaire(towns, db, django_capture_on_commit_callbacks,
                                                                          run_jobs, mailoutbox):
    # When an operator creates Lannion with an admin e-mail
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_town", "lannion", name="Mairie de Lannion", zone="B", admin_email="dgs@lannion.example",
                     stdout=out)
    run_jobs()

    # Then the town answers at /lannion/ and the invitation is in the mailbox
    town = Town.objects.get(slug="lannion")
    assert town.schema_name != "lannion" and schema_exists(town.schema_name)
    assert Client().get("/lannion/connexion/").status_code == 200
    [mail] = mailoutbox
    assert mail.to == ["dgs@lannion.example"]
    assert "/lannion/mot-de-passe/" in mail.body
    assert "créer mon mot de passe" in mail.alternatives[0][0]
    with tenant_context(town):
        from tenant_apps.accounts.models import User

        assert User.objects.get(email="dgs@lannion.example").is_staff


@pytest.mark.parametrize(
    ("slug", "options", "message"),
    [
        ("Lannion", {}, "Invalid slug"),
        ("l", {}, "Invalid slug"),
        ("ops", {}, "réservé"),
        ("static", {}, "réservé"),
        ("ville-a", {}, "already answers"),
        ("lannion", {"zone": "D"}, "Invalid school zone"),
        ("lannion", {"admin_email": "not-an-email"}, "Invalid admin e-mail"),
        ("lannion", {"insee": "ABCDE"}, "INSEE"),
    ],
)
def test_create_town_refuses_bad_input_with_a_clear_error(towns, db, slug, options, message):
    schemas_before = _town_schemas()
    with pytest.raises(CommandError, match=message):
        call_command("create_town", slug, name="Mairie de Test", **options)
    assert not Town.objects.filter(slug=slug.lower(), name="Mairie de Test").exists()
    assert _town_schemas() == schemas_before


@pytest.mark.parametrize(
    ("insee", "message"),
    [
        ("97411", "La Réunion (code INSEE 97411) : le portail ne connaît pas les vacances scolaires"),
        ("98818", "Nouvelle-Calédonie (code INSEE 98818) : le portail ne connaît pas les vacances scolaires"),
        ("97502", "Indiquez explicitement la zone"),
    ],
)
def test_an_overseas_town_without_a_zone_is_refused_rather_than_given_zone_b(towns, db, insee, message):
    schemas_before = _town_schemas()
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("create_town", "outre-mer", name="Mairie d'outre-mer", insee=insee)
    assert not Town.objects.filter(slug="outre-mer").exists()
    assert _town_schemas() == schemas_before


def test_a_town_of_a_territory_whose_holidays_are_unknown_is_refused(towns, db):
    # 989 is Clipperton: no commune, no public holidays the portal knows
    with pytest.raises(CommandError, match=re.escape("territoire d'outre-mer (989) dont le portail ne connaît pas")):
        call_command("create_town", "clipperton", name="Clipperton", insee="98901", zone="B")
    assert not Town.objects.filter(slug="clipperton").exists()


def test_an_overseas_town_with_an_explicit_zone_gets_its_territorys_holidays_and_clock(towns, db):
    # When the operator creates Saint-Denis de La Réunion, choosing zone B knowingly
    call_command("create_town", "saint-denis", name="Mairie de Saint-Denis", insee="97411", zone="b",
                 stdout=io.StringIO())
    # Then the town keeps that zone, lives on La Réunion's time and has 20 December off
    town = Town.objects.get(slug="saint-denis")
    assert (town.school_zone, town.time_zone) == ("B", "Indian/Reunion")
    with tenant_context(town):
        calendar = TownCalendar.for_range(dt.date(2026, 12, 1), dt.date(2026, 12, 31), town=town)
        assert calendar.public_holiday(dt.date(2026, 12, 20)) == "Abolition de l'esclavage"


def test_a_metropolitan_town_without_zone_or_time_zone_is_unchanged(towns, db):
    town = town_create(slug="lannion", name="Mairie de Lannion", insee_code="22113")
    assert (town.school_zone, town.time_zone) == ("B", "Europe/Paris")
    with tenant_context(town):
        calendar = TownCalendar.for_range(dt.date(2026, 12, 1), dt.date(2026, 12, 31), town=town)
        assert calendar.public_holiday(dt.date(2026, 12, 20)) is None
        assert calendar.school_holiday(dt.date(2026, 12, 24)) == "Vacances de Noël"


def test_create_town_exits_non_zero_from_the_shell():
    result = subprocess.run(
        [sys.executable, "manage.py", "create_town", "ops", "--name", "Mairie"],
        capture_output=True, text=True, env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin"},
    )
    assert result.returncode != 0
    assert "réservé" in result.stderr


def test_a_failure_during_creation_leaves_neither_row_nor_schema(towns, db, monkeypatch):
    def broken_setup(town, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_town_setup", broken_setup)
    schemas_before = _town_schemas()
    with pytest.raises(RuntimeError):
        town_create(slug="lannion", name="Mairie de Lannion")
    assert not Town.objects.filter(slug="lannion").exists()
    assert _town_schemas() == schemas_before


def test_an_unknown_creation_method_is_refused(towns, db):
    with pytest.raises(services.ProvisioningError, match="Unknown creation method 'clone'"):
        town_create(slug="lannion", name="Mairie de Lannion", method="clone")
    assert not Town.objects.filter(slug="lannion").exists()


def test_rename_keeps_the_old_address_as_a_permanent_redirect_and_refuses_conflicts(towns, db):
    out = io.StringIO()
    call_command("rename_town", "ville-a", "ville-a-22", stdout=out)
    assert TownSlugRedirect.objects.get(old_slug="ville-a").town.slug == "ville-a-22"
    with pytest.raises(CommandError, match="already answers"):
        call_command("rename_town", "ville-a-22", "ville-b")
    with pytest.raises(CommandError, match="former address"):
        call_command("create_town", "ville-a", name="Usurpateur")


def test_list_towns_shows_slug_name_schema_zone_status_created(towns, db):
    out = io.StringIO()
    call_command("list_towns", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["SLUG", "NAME", "SCHEMA", "ZONE", "STATUS", "CREATED"]
    row = next(line for line in lines if line.startswith("ville-b"))
    assert towns["ville-b"].schema_name in row and " C " in row and "active" in row


def test_archive_closes_the_portal_but_keeps_the_schema(towns, db):
    call_command("archive_town", "ville-b", stdout=io.StringIO())
    town = Town.objects.get(slug="ville-b")
    assert town.status == Town.Status.ARCHIVED and town.archived_at
    assert schema_exists(town.schema_name)
    with pytest.raises(CommandError, match="already archived"):
        call_command("archive_town", "ville-b")


def test_export_writes_a_dump_of_the_schema_and_the_towns_files(live_db, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    town = town_create(slug=f"export-{uuid.uuid4().hex[:6]}", name="Mairie d'Export")
    try:
        with tenant_context(town):
            default_storage.save("documents/menu.pdf", ContentFile(b"%PDF-1.4 menu"))
        call_command("export_town", town.slug, str(tmp_path), stdout=io.StringIO())
        dump = tmp_path / f"{town.slug}.dump"
        listing = subprocess.run([services._pg_dump_binary().replace("pg_dump", "pg_restore"), "--list", str(dump)],
                                 capture_output=True, text=True, check=True).stdout
        assert f"TABLE {town.schema_name} accounts_user" in listing
        assert "tenants_town" not in listing
        assert (tmp_path / "files" / "documents" / "menu.pdf").read_bytes() == b"%PDF-1.4 menu"
    finally:
        connection.set_schema_to_public()
        services.town_drop(town=town)


def test_export_uses_the_pg_dump_the_operator_names_and_says_when_it_is_missing(towns, db, settings, tmp_path):
    # Given an operator whose PG_DUMP_PATH points at nothing
    settings.PG_DUMP_PATH = str(tmp_path / "bin" / "pg_dump")
    # Then the export stops with a message naming the setting, and writes nothing
    with pytest.raises(CommandError, match="PG_DUMP_PATH names no file"):
        call_command("export_town", "ville-a", str(tmp_path / "out"), stdout=io.StringIO())
    assert not (tmp_path / "out").exists()


def _town_schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'town\\_%'")
        return {row[0] for row in cursor.fetchall()}


def test_migrate_schemas_every_town_migrates_every_town_in_parallel(towns, live_db):
    url = database_url()
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--noinput", "--every-town"],
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": url,
             "EXECUTOR": "multiprocessing"},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    output = result.stdout + result.stderr
    for town in towns.values():
        assert f"multiprocessing:{town.schema_name}] === Starting migration" in output
