from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from provisioning.services import ProvisioningError, town_export


class Command(BaseCommand):
    help = "Write a pg_dump of the town's schema and a copy of its files into a directory."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("directory")

    def handle(self, *args, **options):
        try:
            written = town_export(slug=options["slug"], directory=Path(options["directory"]))
        except ProvisioningError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Exported {len(written)} files to {options['directory']}."))
