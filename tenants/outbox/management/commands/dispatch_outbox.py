from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenants.models import Town
from tenants.outbox.models import OutboxMessage
from tenants.outbox.services import DISPATCH_BATCH, outbox_dispatch


class Command(BaseCommand):
    help = (
        "Send to the broker the jobs that towns' outboxes still hold (written while it was down). "
        "The scheduler does it every minute; this does it now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--town", help="only this town (its slug)")

    def handle(self, *args, **options):
        towns = Town.objects.filter(status=Town.Status.ACTIVE).order_by("slug")
        if options["town"]:
            towns = towns.filter(slug=options["town"])
            if not towns:
                raise CommandError(f"No active town {options['town']!r}.")
        sent = pending = 0
        for town in towns:
            with tenant_context(town):
                while True:
                    batch = outbox_dispatch()
                    sent += batch
                    if batch < DISPATCH_BATCH:
                        break
                pending += OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count()
        self.stdout.write(f"{sent} message{'s' if sent != 1 else ''} sent to the broker, {pending} still pending.")
        if pending:
            raise CommandError("The broker did not take every message: is it up?")
