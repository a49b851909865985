"""The bookings REST API: same rules as the pages, stable error codes, household scoping."""

import datetime as dt
import re

import pytest
import time_machine

from tenant_apps.bookings.models import Booking
from tenant_apps.catalog.models import ClosureDay
from tenant_apps.catalog.tests.factories import enrol
from tenant_apps.families.tests.factories import ChildFactory

YEAR = "2026-2027"
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api(client, family, canteen):
    guardian, theo = family.guardian, family.child
    enrol(theo, canteen, YEAR)
    client.force_login(guardian.user)

    def post(path, data):
        return client.post(f"/ville-a/api/v1/{path}", data, content_type="application/json")

    client.post_json = post
    return client


def target(child, service, day):
    return {"child": child.pk, "service": service.pk, "date": day}


def test_services_are_listed_with_their_deadline_rules(api, canteen):
    [service] = api.get("/ville-a/api/v1/services/").json()
    assert service["name"] == "Repas Enfant"
    assert service["booking_deadline"] == {"mode": "same_day_time", "time": "08:30", "days": 0,
                                           "day_kind": "calendar"}
    assert service["cancellation_deadline"] is None
    assert service["deadline_label"] == "08:30"


def test_set_and_unset_then_the_week_grid_shows_it(api, family, canteen):
    theo = family.child
    booked = api.post_json("bookings/set/", target(theo, canteen, "2026-11-30"))
    assert booked.status_code == 200 and booked.json()["status"] == "booked"
    week = api.get("/ville-a/api/v1/bookings/week/?semaine=2026-W49").json()
    [theo_week] = [c for c in week["children"] if c["child"] == theo.pk]
    assert theo_week["rows"][0]["cells"][0] == {"date": "2026-11-30", "state": "booked", "reason": "",
                                                "can_toggle": True}
    assert api.post_json("bookings/unset/", target(theo, canteen, "2026-11-30")).json()["status"] == "cancelled"
    assert Booking.objects.get().changes.filter(source="api").count() == 2


def test_errors_carry_stable_codes(api, family, canteen):
    theo, anna = family.children
    ClosureDay.objects.create(date=dt.date(2026, 12, 3), reason="Grève")
    cases = [
        (target(theo, canteen, "2026-11-27"), 400, "deadline_passed"),
        (target(anna, canteen, "2026-11-30"), 400, "not_enrolled"),
        (target(theo, canteen, "2026-12-03"), 400, "closed_day"),
    ]
    for payload, status, code in cases:
        response = api.post_json("bookings/set/", payload)
        assert (response.status_code, response.json()["code"]) == (status, code), payload
    canteen.capacity = 0
    canteen.save()
    full = api.post_json("bookings/set/", target(theo, canteen, "2026-12-01"))
    assert (full.status_code, full.json()["code"]) == (409, "service_full")
    canteen.capacity = None
    canteen.save()
    api.post_json("bookings/set/", target(theo, canteen, "2026-12-01"))
    Booking.objects.update(invoiced=True)
    locked = api.post_json("bookings/unset/", target(theo, canteen, "2026-12-01"))
    assert (locked.status_code, locked.json()["code"]) == (409, "invoiced")
    assert "facturée" in locked.json()["detail"]


def test_another_familys_child_answers_404_on_every_endpoint(api, canteen):
    stranger = ChildFactory()
    enrol(stranger, canteen, YEAR)
    bulk = {"service": canteen.pk, "children": [{"child": stranger.pk, "weekdays": [0]}],
            "start": "2026-11-30", "end": "2026-12-11"}
    for path, payload in (("bookings/set/", target(stranger, canteen, "2026-11-30")),
                          ("bookings/unset/", target(stranger, canteen, "2026-11-30")),
                          ("bookings/bulk/preview/", bulk), ("bookings/bulk/apply/", bulk)):
        assert api.post_json(path, payload).status_code == 404, path
    week = api.get("/ville-a/api/v1/bookings/week/").json()
    assert stranger.pk not in [c["child"] for c in week["children"]]
    assert not Booking.objects.exists()


def test_bulk_preview_then_apply(api, family, canteen):
    theo = family.child
    payload = {"service": canteen.pk, "children": [{"child": theo.pk, "weekdays": [0, 1]}],
               "start": "2026-11-27", "end": "2026-12-08", "action": "replace", "criterion": "none"}
    preview = api.post_json("bookings/bulk/preview/", payload).json()
    assert [d["date"] for d in preview["to_create"]] == ["2026-11-30", "2026-12-01", "2026-12-07", "2026-12-08"]
    assert preview["applied"] is False and not Booking.objects.exists()
    applied = api.post_json("bookings/bulk/apply/", payload).json()
    assert applied["applied"] is True
    assert Booking.objects.filter(status="booked").count() == 4
    bad = api.post_json("bookings/bulk/preview/", {**payload, "end": "2026-11-01"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_bulk_request")


def test_the_openapi_schema_documents_the_booking_endpoints(api):
    schema = api.get("/ville-a/api/v1/schema/?format=json").json()
    for path in ("/api/v1/services/", "/api/v1/bookings/week/", "/api/v1/bookings/set/", "/api/v1/bookings/unset/",
                 "/api/v1/bookings/bulk/preview/", "/api/v1/bookings/bulk/apply/"):
        assert path in schema["paths"], path


def test_the_deadline_time_is_documented_as_the_hh_mm_it_is(api, canteen):
    # The schema said `format: time` (RFC 3339: seconds and an offset); the API answers "08:30"
    schema = api.get("/ville-a/api/v1/schema/?format=json").json()
    time = schema["components"]["schemas"]["DeadlineRule"]["properties"]["time"]
    assert "format" not in time and time["pattern"] == r"^\d{2}:\d{2}$"
    [service] = api.get("/ville-a/api/v1/services/").json()
    assert re.fullmatch(time["pattern"], service["booking_deadline"]["time"])


@pytest.mark.parametrize(("criterion", "mondays"), [
    ("alternate_weeks", ["2026-12-28", "2027-01-11"]),
    ("odd_weeks", ["2026-12-28", "2027-01-11"]),  # the former value, kept as an alias
    ("even_weeks", ["2027-01-04", "2027-01-18"]),
])
def test_the_bulk_api_alternates_weeks_strictly_and_keeps_the_former_values(api, family, canteen, criterion,
                                                                             mondays):
    theo = family.child
    payload = {"service": canteen.pk, "children": [{"child": theo.pk, "weekdays": [0]}],
               "start": "2026-12-28", "end": "2027-01-22", "action": "add", "criterion": criterion}
    preview = api.post_json("bookings/bulk/preview/", payload)
    assert preview.status_code == 200, preview.content
    assert [d["date"] for d in preview.json()["to_create"]] == mondays
    unknown = api.post_json("bookings/bulk/preview/", {**payload, "criterion": "every_third_week"})
    assert unknown.status_code == 400
