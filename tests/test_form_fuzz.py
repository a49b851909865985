"""Garbage POSTed to the parents' forms: missing fields, wrong types, huge strings, unknown ids,
negative numbers, impossible dates (31/02/2026), NUL characters. Whatever comes in, the answer
is never a 5xx, and a refusal (4xx, or the form shown again) writes nothing."""

import datetime as dt

import pytest
import time_machine

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

GARBAGE = ["", "   ", "x" * 10_000, "-1", "0", "99999999999999999999", "31/02/2026", "2026-02-31", "abc",
           "nul\x00caractère", "<script>alert(1)</script>", "1e309", "[]"]


@pytest.fixture
def world(client, town):
    """Marie ALAIN (signed in), her son Théo, the canteen, the town's childhood service."""
    from tenant_apps.catalog.models import Service
    from tenant_apps.messaging.models import TownService
    from tests.support.fixtures import family_create

    family = family_create("ALAIN", children=("Théo",))
    canteen = Service.objects.create(name="Repas Enfant", kind=Service.Kind.CANTEEN, weekdays=[0, 1, 3, 4],
                                     calendar=Service.Calendar.EVERY_OPEN_DAY)
    service = TownService.objects.create(name="Service enfance")
    client.force_login(family.user)
    return {"client": client, "household": family.household, "guardian": family.guardian,
            "child": family.child, "canteen": canteen, "service": service}


def snapshot(world) -> tuple:
    """Everything a parent's form may write."""
    from tenant_apps.bookings.models import Booking
    from tenant_apps.families.models import (
        Allergy,
        Authorisation,
        Child,
        EmergencyContact,
        FieldChange,
        Guardian,
        Household,
        PickupContact,
        Vaccine,
    )
    from tenant_apps.messaging.models import Message

    rows = [[dict(row) for row in model.objects.order_by("pk").values()] for model in (
        Household, Guardian, Child, Allergy, Vaccine, EmergencyContact, PickupContact, Authorisation, Booking,
        Message, FieldChange)]
    for table in rows:
        for row in table:
            row.pop("updated_at", None)
    return tuple(str(table) for table in rows)


FORMS = {
    # name: (path, fields), the path built from the world's ids
    "profile: postcode": (lambda w: f"/mon-profil/modifier/household.postcode/{w['household'].pk}/", ["value"]),
    "profile: birth date": (lambda w: f"/mon-profil/modifier/guardian.birth_date/{w['guardian'].pk}/", ["value"]),
    "profile: e-mail": (lambda w: f"/mon-profil/modifier/guardian.email/{w['guardian'].pk}/", ["value"]),
    "profile: phone": (lambda w: f"/mon-profil/modifier/guardian.mobile_phone/{w['guardian'].pk}/", ["value"]),
    "profile: unknown field": (lambda w: f"/mon-profil/modifier/household.nope/{w['household'].pk}/", ["value"]),
    "profile: another household": (lambda w: "/mon-profil/modifier/household.postcode/999999/", ["value"]),
    "child: birth date": (lambda w: f"/mes-enfants/{w['child'].pk}/modifier/child.birth_date/", ["value"]),
    "child: sex": (lambda w: f"/mes-enfants/{w['child'].pk}/modifier/child.sex/", ["value"]),
    "child: allergy": (lambda w: f"/mes-enfants/{w['child'].pk}/allergies/ajouter/", ["name", "details"]),
    "child: vaccine": (lambda w: f"/mes-enfants/{w['child'].pk}/vaccins/ajouter/", ["name", "given_on"]),
    "child: emergency contact": (lambda w: f"/mes-enfants/{w['child'].pk}/contacts/urgence/ajouter/",
                                 ["name", "relationship", "phone"]),
    "child: unknown contact kind": (lambda w: f"/mes-enfants/{w['child'].pk}/contacts/inconnu/ajouter/",
                                    ["name", "phone"]),
    "child: authorisation": (lambda w: f"/mes-enfants/{w['child'].pk}/autorisations/photo/", ["granted"]),
    "child: unknown authorisation": (lambda w: f"/mes-enfants/{w['child'].pk}/autorisations/inconnue/", ["granted"]),
    "child: unknown child": (lambda w: "/mes-enfants/999999/allergies/ajouter/", ["name"]),
    "child: remove unknown allergy": (lambda w: f"/mes-enfants/{w['child'].pk}/allergies/999999/supprimer/", []),
    "booking: toggle": (lambda w: "/reservations/case/", ["child", "service", "date", "action"]),
    "booking: week": (lambda w: "/reservations/semaine/", ["child", "service", "semaine"]),
    # The same with Théo and the canteen, so that the date, the week, the action are what is wrong
    "booking: toggle, bad day": (lambda w: "/reservations/case/", ["date", "action"]),
    "booking: week, bad week": (lambda w: "/reservations/semaine/", ["semaine"]),
    "bulk: dates step, bad dates": (lambda w: "/reservations/en-masse/", ["start", "end", "action", "criterion",
                                                                          "days_CHILD"]),
    "bulk: service step": (lambda w: "/reservations/en-masse/", ["goto", "service"]),
    "bulk: dates step": (lambda w: "/reservations/en-masse/", ["goto", "service", "children", "start", "end",
                                                               "action", "criterion"]),
    "message: compose": (lambda w: f"/messagerie/ecrire/{w['service'].pk}/", ["subject", "body"]),
    "message: unknown service": (lambda w: "/messagerie/ecrire/999999/", ["subject", "body"]),
    "password: reset request": (lambda w: "/nouveau-mot-de-passe/", ["email"]),
    "password: unknown link": (lambda w: "/mot-de-passe/pas-un-jeton/", ["password1", "password2", "phrase"]),
}

BULK_STEPS = ["service", "children", "dates", "summary", "confirm", "inconnue"]


def _payloads(form, fields, world):
    fields = [field.replace("CHILD", str(world["child"].pk)) for field in fields]
    valid = {}
    if "bad" in form:  # the child and the service are real ones, the rest is garbage
        valid = {"child": world["child"].pk, "service": world["canteen"].pk, "children": world["child"].pk}
        if form.startswith("bulk"):
            valid["goto"] = "summary"
    yield dict(valid)
    for value in GARBAGE:
        yield {**dict.fromkeys(fields, value), **valid}
    for step in BULK_STEPS if form.startswith("bulk") else ():
        yield {**dict.fromkeys(fields, "31/02/2026"), **valid, "goto": step}


@time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("form", sorted(FORMS))
def test_garbage_never_crashes_a_form_and_a_refusal_writes_nothing(world, form):
    path_of, fields = FORMS[form]
    path = path_of(world)
    for data in _payloads(form, fields, world):
        # Given the record as it is
        before = snapshot(world)
        # When the form is posted with garbage
        response = world["client"].post(f"/ville-a{path}", data)
        # Then no server error, and a refusal leaves everything as it was
        assert response.status_code < 500, (form, data)
        if response.status_code >= 400 or response.status_code == 200:
            assert snapshot(world) == before, (form, data, response.status_code)
