from django.core.management.base import BaseCommand

from provisioning.spares import spare_pool_drop, spare_pool_refill, spare_pool_status


class Command(BaseCommand):
    help = ("Fill the pool of spare town schemas (made by migration, renamed when a town is created) and "
            "migrate the spares behind the code. A worker does it after each creation; this is for operators.")

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=None, help="spares to keep (default: TOWN_SPARE_SCHEMAS)")
        parser.add_argument("--drop", action="store_true", help="drop every spare instead")

    def handle(self, *args, **options):
        if options["drop"]:
            self.stdout.write(f"Dropped {spare_pool_drop()} spare schemas.")
            return
        report = spare_pool_refill(size=options["size"])
        if report.busy:
            self.stdout.write(self.style.WARNING("Another refill is running; nothing done."))
            return
        status = spare_pool_status()
        self.stdout.write(self.style.SUCCESS(
            f"{report.created} spare schemas made, {report.migrated} migrated, {report.dropped} forgotten;"
            f" {status['ready']} ready, {status['behind']} behind the code."
        ))
