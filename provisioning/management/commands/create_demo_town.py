"""Create the demo town `demo` if it does not exist yet, and print its logins (used by `make run`)."""

from django.core.management.base import BaseCommand

from provisioning.services import demo_town_ensure


class Command(BaseCommand):
    help = "Create the demo town (Mairie de Démonstration, zone B) with its demo data, once."

    def handle(self, *args, **options):
        town, created = demo_town_ensure()
        verb = "Created" if created else "Found"
        self.stdout.write(self.style.SUCCESS(f"{verb} the demo town {town.name} at /{town.slug}/."))
        for line in demo_logins():
            self.stdout.write(line)


def demo_logins() -> list[str]:
    from provisioning.services import DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD

    lines = [f"  Gestionnaire : {DEMO_STAFF_EMAIL} / {DEMO_STAFF_PASSWORD}"]
    try:
        from tenant_apps.families.demo import DEMO_PARENT_EMAIL, DEMO_PARENT_PASSWORD

        lines.insert(0, f"  Parent : {DEMO_PARENT_EMAIL} / {DEMO_PARENT_PASSWORD}")
    except ImportError:
        pass
    return lines
