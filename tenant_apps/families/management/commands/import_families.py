"""Import households, guardians and children of a town from a CSV file (previous system)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import tenant_context

from tenant_apps.families.imports import IMPORT_COLUMNS, families_import_csv
from tenant_apps.families.models import InvitationBatch
from tenant_apps.families.services.invitations import invitation_batch_start
from tenants.current import activate_public
from tenants.models import Town


def _columns_help() -> str:
    lines = "\n".join(f"  {name}: {help_text}" for name, help_text in IMPORT_COLUMNS)
    return (
        "CSV file, UTF-8 (or Windows-1252), separated by ';' or ',', with a header line; one row per person "
        "(guardian or child), rows of one household share the 'foyer' value. Every line is checked first: "
        "if any is wrong, nothing is imported and the errors are listed by line number (exit status 1). "
        "Guardians with an e-mail get a login account without password (--invite e-mails them an invitation). "
        "A child's 'prestation' column enrols it in that service for the current school year. "
        f"Columns:\n{lines}"
    )


class Command(BaseCommand):
    help = "Import families (households, guardians, children) into a town from a CSV file.\n\n" + _columns_help()

    def create_parser(self, *args, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(*args, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the town's slug (its address /<slug>/)")
        parser.add_argument("file", help="path of the CSV file")
        parser.add_argument("--invite", action="store_true",
                            help="after the import, e-mail the imported guardians their invitation to create a "
                                 "password (a bulk invitation job; links valid 7 days)")

    def handle(self, *args, slug, file, invite=False, **options):
        activate_public()
        town = Town.objects.filter(slug=slug).first()
        if town is None:
            raise CommandError(f"No town answers at /{slug}/.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        with tenant_context(town), path.open("rb") as handle:
            report = families_import_csv(file=handle)
            if report.ok and invite and report.guardian_ids:
                with transaction.atomic():
                    batch = invitation_batch_start(created_by=None, scope=InvitationBatch.Scope.IMPORTED,
                                                   guardian_ids=report.guardian_ids, filter_label="import_families")
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
        if invite and report.guardian_ids:
            self.stdout.write(f"Invitations queued for {len(report.guardian_ids)} guardian(s) (batch {batch.pk}).")
