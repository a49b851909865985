"""Write the PES V2 file of an invoicing run (or of the invoices issued between two dates) of a
town, validated against the DGFiP schema; the export is recorded as if staff had made it."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenant_apps.accounting.services import pes_export_create
from tenant_apps.billing.models import InvoiceRun
from tenants.current import activate_public
from tenants.errors import DomainError
from tenants.models import Town


class Command(BaseCommand):
    help = ("Write the PES V2 (PES_Aller, ORMC) file of an invoicing run of a town. Exits with status 1 and the "
            "reason, writing nothing, when the settings are incomplete or the file would not validate against "
            "the DGFiP schema.")

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the town's slug (its address /<slug>/)")
        parser.add_argument("--run", type=int, help="id of the invoicing run")
        parser.add_argument("--start", type=dt.date.fromisoformat, help="or: invoices issued from (YYYY-MM-DD)")
        parser.add_argument("--end", type=dt.date.fromisoformat, help="… to (YYYY-MM-DD)")
        parser.add_argument("--output", required=True, help="path of the file to write")

    def handle(self, *args, slug, run, start, end, output, **options):
        if run is None and not (start and end):
            raise CommandError("Give --run, or both --start and --end.")
        activate_public()
        town = Town.objects.filter(slug=slug).first()
        if town is None:
            raise CommandError(f"No town answers at /{slug}/.")
        with tenant_context(town):
            if run is not None and not InvoiceRun.objects.filter(pk=run).exists():
                raise CommandError(f"No invoicing run {run} in {slug}.")
            try:
                record = pes_export_create(run_id=run, start=start, end=end)
            except DomainError as error:
                raise CommandError(str(error.message)) from None
            with record.file.open("rb") as stream:
                content = stream.read()
        Path(output).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(
            f"{output}: {record.invoice_count} invoices, {record.total} EUR, bordereau {record.bordereau_number}, "
            f"sha256 {record.checksum}"
        ))
        if record.already_exported:
            self.stderr.write(f"Already exported before: {', '.join(record.already_exported)}")
