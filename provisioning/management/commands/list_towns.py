from django.core.management.base import BaseCommand

from tenants.models import Town


class Command(BaseCommand):
    help = "List the towns: slug, name, schema, zone, status, created."

    def handle(self, *args, **options):
        rows = [("SLUG", "NAME", "SCHEMA", "ZONE", "STATUS", "CREATED")]
        for town in Town.objects.order_by("slug"):
            rows.append((town.slug, town.name, town.schema_name, town.school_zone, town.status,
                         town.created_at.strftime("%Y-%m-%d %H:%M")))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  ".join(value.ljust(widths[i]) for i, value in enumerate(row)).rstrip())
