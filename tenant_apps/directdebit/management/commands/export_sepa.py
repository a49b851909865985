"""Write the pain.008.001.02 direct-debit file of an invoicing run (and record the export)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override
from django_tenants.utils import tenant_context

from tenant_apps.billing.models import InvoiceRun
from tenants.current import activate_public
from tenants.errors import DomainError
from tenants.models import Town


class Command(BaseCommand):
    help = (
        "Generate the SEPA direct-debit file (pain.008.001.02) of an invoicing run: one debit per invoice of the "
        "run whose household has an active mandate, validated against the XSD. The export is recorded and the "
        "invoices are marked as sent to the bank (never exported twice, unless --represent-rejected for rejected "
        "ones). Exits with status 1 and the reason when there is nothing to debit or the file would not validate "
        "(then nothing is recorded)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the town's slug (its address /<slug>/)")
        parser.add_argument("--run", type=int, required=True, help="id of the invoicing run")
        parser.add_argument("--output", required=True, help="path of the XML file to write")
        parser.add_argument("--represent-rejected", action="store_true",
                            help="present again the run's invoices whose debit was rejected")

    def handle(self, *args, slug, run, output, represent_rejected, **options):
        from ...services import debit_export_create

        activate_public()
        town = Town.objects.filter(slug=slug).first()
        if town is None:
            raise CommandError(f"No town answers at /{slug}/.")
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"Folder not found: {path.parent}")
        with tenant_context(town), override("fr"):
            invoice_run = InvoiceRun.objects.filter(pk=run).first()
            if invoice_run is None:
                raise CommandError(f"No invoicing run {run} in {slug}.")
            try:
                export = debit_export_create(run=invoice_run, represent_rejected=represent_rejected)
            except DomainError as error:
                raise CommandError(str(error.message)) from error
            path.write_text(export.content, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(
                f"{path}: {export.count} debits, {export.total} EUR, collection {export.collection_date:%Y-%m-%d}, "
                f"sha256 {export.checksum}"))
