"""Where a town lies, from its INSEE code, and what follows for its calendars and its clock.

The department is the first two characters of the code (2A/2B for Corsica), or three for the
overseas ones (97x départements and collectivités, 98x collectivités of the Pacific and the
TAAF). Overseas towns have their own public holidays (abolition of slavery days…), their own
time zone, and school calendars the portal's school-holiday data does not carry (it knows the
metropolitan zones A, B and C only).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Territory:
    name: str
    holiday_subdivision: str  # the `holidays.France` subdivision
    time_zone: str


# Every overseas territory that has communes. A code starting with 97 or 98 not listed here
# (989 Clipperton has none) is refused: its public holidays are not known.
OVERSEAS_TERRITORIES: dict[str, Territory] = {
    "971": Territory("Guadeloupe", "971", "America/Guadeloupe"),
    "972": Territory("Martinique", "972", "America/Martinique"),
    "973": Territory("Guyane", "973", "America/Cayenne"),
    "974": Territory("La Réunion", "974", "Indian/Reunion"),
    "975": Territory("Saint-Pierre-et-Miquelon", "PM", "America/Miquelon"),
    "976": Territory("Mayotte", "976", "Indian/Mayotte"),
    "977": Territory("Saint-Barthélemy", "BL", "America/St_Barthelemy"),
    "978": Territory("Saint-Martin", "MF", "America/Marigot"),
    "984": Territory("Terres australes et antarctiques françaises", "TF", "Indian/Kerguelen"),
    "986": Territory("Wallis-et-Futuna", "WF", "Pacific/Wallis"),
    "987": Territory("Polynésie française", "PF", "Pacific/Tahiti"),
    "988": Territory("Nouvelle-Calédonie", "NC", "Pacific/Noumea"),
}
ALSACE_MOSELLE = {"57": "57", "67": "6AE", "68": "6AE"}
METROPOLITAN_TIME_ZONE = "Europe/Paris"


def department_of(insee_code: str) -> str:
    """"22" for 22113, "2A" for 2A004, "974" for 97411; "" for no code."""
    code = insee_code.upper()
    return code[:3] if code[:2] in ("97", "98") else code[:2]


def is_overseas(insee_code: str) -> bool:
    return insee_code[:2] in ("97", "98")


def overseas_territory(insee_code: str) -> Territory | None:
    """The overseas territory of the town; None for a metropolitan town or an unknown territory."""
    return OVERSEAS_TERRITORIES.get(department_of(insee_code)) if is_overseas(insee_code) else None


def holiday_subdivision(insee_code: str | None) -> str | None:
    """The `holidays.France` subdivision of a town (None: the metropolitan public holidays)."""
    code = insee_code or ""
    territory = overseas_territory(code)
    if territory is not None:
        return territory.holiday_subdivision
    return ALSACE_MOSELLE.get(department_of(code))


def default_time_zone(insee_code: str) -> str:
    territory = overseas_territory(insee_code)
    return territory.time_zone if territory is not None else METROPOLITAN_TIME_ZONE
