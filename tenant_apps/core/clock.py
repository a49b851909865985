"""The town's calendar: its day and local time (its own time zone, not the server's), school years.

"Today" is `town_today()`, never `timezone.localdate()`: that one follows whichever zone is
activated (the web and job middlewares activate the town's; a test, a script or a
management command entering a town activates none).
"""

import datetime as dt

from tenants.current import town_now, town_today, town_zone

__all__ = ["school_year_bounds", "school_year_of", "town_now", "town_today", "town_zone"]


def school_year_of(day: dt.date) -> str:
    """"2026-2027" for any day from 1 August 2026 to 31 July 2027."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


def school_year_bounds(school_year: str) -> tuple[dt.date, dt.date]:
    """"2026-2027" → (1 August 2026, 31 July 2027), the days `school_year_of` maps to that year."""
    start = int(school_year[:4])
    return dt.date(start, 8, 1), dt.date(start + 1, 7, 31)
