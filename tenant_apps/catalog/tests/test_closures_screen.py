"""The staff closures screen says until when the school-holiday data runs."""

import html

from vacances_scolaires_france import SchoolHolidayDates


def test_the_closures_screen_shows_until_when_school_holidays_are_known(staff_client, town):
    # Given the school-holiday data of Ville-A's zone (B)
    last_holiday = max(day for day, entry in SchoolHolidayDates().data.items() if entry["vacances_zone_b"])
    # When a gestionnaire opens the closures screen
    page = html.unescape(staff_client.get("/ville-a/gestion/prestations/fermetures/").content.decode())
    # Then it says the data stops after the last holidays it carries
    assert f"Données des vacances scolaires disponibles jusqu'au {last_holiday:%d/%m/%Y}" in page
