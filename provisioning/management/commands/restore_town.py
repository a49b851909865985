from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from provisioning.restore import town_restore
from provisioning.services import ProvisioningError


class Command(BaseCommand):
    help = ("Bring back a town written by export_town (schema and files) at /<slug>/, under a new schema;"
            " all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("export", help="the directory export_town wrote")
        parser.add_argument("--as", dest="slug", required=True, help="the slug the restored town answers at")
        parser.add_argument("--force", action="store_true",
                            help="replace the town already answering at this slug (its data and files are deleted)")

    def handle(self, *args, **options):
        try:
            town = town_restore(directory=Path(options["export"]), slug=options["slug"], force=options["force"])
        except ProvisioningError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {town.name} at /{town.slug}/ (schema {town.schema_name})."))
