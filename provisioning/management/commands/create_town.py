from django.core.management.base import BaseCommand, CommandError

from provisioning.services import ProvisioningError, town_create


def _upper(value: str | None) -> str | None:
    return value.upper() if value is not None else None


class Command(BaseCommand):
    help = ("Create a town: its schema (a spare schema renamed, else a migration), its profile, optionally its"
            " first staff account.")

    def add_arguments(self, parser):
        parser.add_argument("slug", help="URL segment: /<slug>/")
        parser.add_argument("--name", required=True, help='e.g. "Mairie de Lannion"')
        parser.add_argument("--zone", default=None,
                            help="school holiday zone: A, B or C (default B; required for an overseas town)")
        parser.add_argument("--insee", default="", help="INSEE code of the commune (optional)")
        parser.add_argument("--time-zone", default=None,
                            help="default: the territory's, from the INSEE code (Europe/Paris in metropolitan France)")
        parser.add_argument("--admin-email", default=None, help="first staff account, invited by e-mail")
        parser.add_argument("--demo", action="store_true", help="load the demo families, services and invoices")
        parser.add_argument("--method", choices=["pool", "migrate"], default="pool",
                            help="pool: claim a spare schema (constant time), migrating one when the pool is empty;"
                                 " migrate: always migrate a new schema")

    def handle(self, *args, **options):
        try:
            town = town_create(
                slug=options["slug"], name=options["name"], zone=_upper(options["zone"]),
                admin_email=options["admin_email"], demo=options["demo"], insee_code=options["insee"],
                time_zone=options["time_zone"], method=options["method"],
            )
        except ProvisioningError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Created {town.name} at /{town.slug}/ (schema {town.schema_name})."))
        if options["admin_email"]:
            self.stdout.write(f"Invitation e-mailed to {options['admin_email']}.")
