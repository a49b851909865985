from django.core.management.base import BaseCommand, CommandError

from provisioning.services import ProvisioningError, town_rename


class Command(BaseCommand):
    help = "Move a town to a new URL; the old one answers with a permanent redirect."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("new_slug")

    def handle(self, *args, **options):
        try:
            town = town_rename(slug=options["slug"], new_slug=options["new_slug"])
        except ProvisioningError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"{town.name} now answers at /{town.slug}/ (/{options['slug']}/ redirects)."))
