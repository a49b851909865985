"""The town's own school calendar: the holiday periods its académie publishes, entered by staff.

Once a town has entered one period, its calendar follows its own periods instead of its zone's
national data (see `calendar.TownCalendar`). Overseas towns must: their académies' calendars
are not in the national data the portal ships.
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from tenants.current import current_town
from tenants.territories import is_overseas

from .errors import InvalidSchoolHolidays
from .models import SchoolHolidayPeriod

# The longest school holidays in France (summer, some overseas académies) last about ten weeks.
LONGEST_HOLIDAYS = dt.timedelta(days=100)


@transaction.atomic
def school_holiday_period_add(*, name: str, start: dt.date, end: dt.date) -> SchoolHolidayPeriod:
    name = (name or "").strip()
    if not name:
        raise InvalidSchoolHolidays(_("Donnez un nom à la période (ex. « Vacances de la Toussaint »)."))
    if end < start:
        raise InvalidSchoolHolidays(_("Le dernier jour sans école doit suivre le premier."))
    if end - start > LONGEST_HOLIDAYS:
        raise InvalidSchoolHolidays(_("Une période de vacances dure au plus 100 jours : vérifiez les dates."))
    # Lock the table's rows of the town so two staff adding at once cannot overlap.
    overlapping = SchoolHolidayPeriod.objects.select_for_update().filter(start__lte=end, end__gte=start).first()
    if overlapping is not None:
        raise InvalidSchoolHolidays(_("Ces dates chevauchent la période « %(name)s ».") % {"name": overlapping})
    return SchoolHolidayPeriod.objects.create(name=name[:120], start=start, end=end)


def school_holiday_period_remove(*, period: SchoolHolidayPeriod) -> None:
    period.delete()


def own_school_calendar_required() -> bool:
    """True when the town must enter its own school calendar: an overseas town with none yet."""
    town = current_town()
    return bool(town and is_overseas(town.insee_code or "")) and not SchoolHolidayPeriod.objects.exists()
