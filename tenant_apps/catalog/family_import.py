"""The "prestation" column of the families' CSV import: the catalog enrols the imported children."""

from tenant_apps.core.clock import school_year_of, town_today
from tenant_apps.families.models import Child

from .models import Service
from .services import enrolment_add


def service_by_name(name: str) -> Service | None:
    """The service named `name` (case and surrounding spaces ignored), None if there is none."""
    return Service.objects.filter(name__iexact=name.strip()).order_by("-is_active", "pk").first()


def enrol_imported_child(child: Child, service: Service) -> None:
    enrolment_add(child=child, service=service, school_year=school_year_of(town_today()))
