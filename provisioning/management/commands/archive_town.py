from django.core.management.base import BaseCommand, CommandError

from provisioning.services import ProvisioningError, town_archive


class Command(BaseCommand):
    help = "Close a town's portal (its data are kept)."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, **options):
        try:
            town = town_archive(slug=options["slug"])
        except ProvisioningError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"{town.name} is archived; /{town.slug}/ shows the closed-portal page."))
