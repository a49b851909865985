"""Absences ("enfant malade"): a parent declares a sick child after the deadline with a certificate,
staff validate it, the invoice does not bill the day (but bills the service's waiting day); an
unjustified absence is billed; another family's child and staff screens are out of a parent's reach."""

import datetime as dt
from decimal import Decimal
from html import unescape

import pytest
import time_machine

from tenant_apps.billing.services import household_invoice_issue
from tenant_apps.billing.tests.factories import TariffFactory
from tenant_apps.bookings.models import Absence, AbsenceSettings, Booking, ServiceAbsenceRule
from tenant_apps.bookings.tests.factories import book
from tenant_apps.catalog.tests.factories import ServiceFactory
from tests.support.files import pdf_upload

PARIS = dt.timezone(dt.timedelta(hours=1))
MONDAY, TUESDAY, THURSDAY, FRIDAY = (dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2026, 12, 3),
                                     dt.date(2026, 12, 4))
WEEK = [MONDAY, TUESDAY, THURSDAY, FRIDAY]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def after_school(town):
    """Booked and cancelled up to 3 days before at noon: on Monday morning, Monday and Tuesday are past it."""
    service = ServiceFactory(name="Accueil du soir", deadline_mode="days_before", deadline_days=3,
                             deadline_time=dt.time(12, 0))
    TariffFactory(service=service, unit_price=Decimal("2.50"))
    return service


def monday_morning():
    return time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=PARIS), tick=False)


def invoice_of(family):
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=PARIS), tick=False):
        return household_invoice_issue(household_id=family.household.pk, period_start=MONDAY, period_end=FRIDAY)


def billed_days(invoice) -> list[dt.date]:
    return sorted(b.date for line in invoice.lines.all() for b in line.bookings.all())


def test_a_sick_child_declared_after_the_deadline_with_a_certificate_is_not_billed_once_validated(
        parent_client, staff_client, family, after_school):
    theo = family.child
    ServiceAbsenceRule.objects.create(service=after_school, waiting_days=1)  # one "jour de carence"
    book(theo, after_school, WEEK)
    with monday_morning():
        page = parent_client.get("/ville-a/reservations/absences/").content.decode()
        assert "Déclarer une absence" in page
        response = parent_client.post("/ville-a/reservations/absences/", {
            "child": theo.pk, "start": "2026-11-30", "end": "2026-12-03", "reason": "illness",
            "comment": "Gastro", "certificate": pdf_upload("certificat.pdf")}, follow=True)
        assert "Absence de Théo enregistrée." in response.content.decode()
    absence = Absence.objects.get()
    days = {b.date: b for b in Booking.objects.filter(child=theo)}
    # Monday and Tuesday are past the deadline: absences; Thursday could still be cancelled: cancelled
    assert (days[MONDAY].attendance, days[TUESDAY].attendance) == ("absent", "absent")
    assert days[THURSDAY].status == "cancelled" and days[FRIDAY].status == "booked"
    assert days[MONDAY].changes.get(action="absence").source == "portal"

    # The register of Monday shows the declared absence
    register = staff_client.get(f"/ville-a/gestion/reservations/registre/?date=2026-11-30&service={after_school.pk}")
    assert "Absence déclarée (Enfant malade" in register.content.decode()
    # Staff see the certificate in the list and validate it
    listing = staff_client.get("/ville-a/gestion/reservations/absences/").content.decode()
    assert "ALAIN Théo" in listing and "Voir le certificat" in listing
    certificate = staff_client.get(f"/ville-a/gestion/reservations/absences/{absence.pk}/certificat/")
    assert certificate.status_code == 200 and b"".join(certificate.streaming_content).startswith(b"%PDF")
    done = staff_client.post(f"/ville-a/gestion/reservations/absences/{absence.pk}/decision/",
                             {"decision": "validate"}, follow=True)
    assert "Absence d'ALAIN Théo justifiée." in unescape(done.content.decode())
    days = {b.date: b for b in Booking.objects.filter(child=theo)}
    assert (days[MONDAY].attendance, days[MONDAY].waiting_day) == ("absent", True)
    assert days[TUESDAY].attendance == "justified_absence"

    invoice = invoice_of(family)
    # Monday (the waiting day) and Friday are billed; Tuesday (justified) and Thursday (cancelled) are not
    assert billed_days(invoice) == [MONDAY, FRIDAY]
    assert invoice.total == Decimal("5.00")


def test_a_certificate_sent_later_within_the_town_delay(parent_client, staff_client, family, after_school):
    AbsenceSettings.objects.create(certificate_days=3)
    book(family.child, after_school, [MONDAY])
    with monday_morning():
        parent_client.post("/ville-a/reservations/absences/", {
            "child": family.child.pk, "start": "2026-11-30", "end": "2026-11-30", "reason": "illness"})
        absence = Absence.objects.get()
        assert absence.certificate_due == dt.date(2026, 12, 3)
        assert "À déposer avant le 03/12/2026" in parent_client.get("/ville-a/reservations/absences/").content.decode()
        sent = parent_client.post(f"/ville-a/reservations/absences/{absence.pk}/certificat/",
                                  {"certificate": pdf_upload("certificat.pdf")}, follow=True)
        assert "Certificat médical envoyé à la mairie." in sent.content.decode()
    absence.refresh_from_db()
    assert absence.certificate.name.startswith("absences/")
    staff_client.post(f"/ville-a/gestion/reservations/absences/{absence.pk}/decision/", {"decision": "validate"})
    assert invoice_of(family) is None  # the only day is justified: nothing to bill


def test_an_unjustified_absence_after_the_deadline_is_billed(parent_client, staff_client, family, after_school):
    book(family.child, after_school, [MONDAY, TUESDAY])
    with monday_morning():
        response = parent_client.post("/ville-a/api/v1/bookings/absences/", {
            "child": family.child.pk, "start": "2026-11-30", "end": "2026-12-01", "reason": "family"})
    assert response.status_code == 201 and response.json()["status"] == "declared"
    absence = Absence.objects.get()
    refused = staff_client.post(f"/ville-a/gestion/reservations/absences/{absence.pk}/decision/",
                                {"decision": "refuse", "note": "Pas de certificat"}, follow=True)
    assert "Justificatif d'ALAIN Théo refusé : les jours restent facturés." in unescape(refused.content.decode())
    assert billed_days(invoice_of(family)) == [MONDAY, TUESDAY]
    with monday_morning():  # the parent's session was last used then
        listed = parent_client.get("/ville-a/api/v1/bookings/absences/").json()
    assert [(a["status"], a["decision_note"]) for a in listed] == [("refused", "Pas de certificat")]


def test_a_parent_cannot_declare_for_another_family_nor_decide(parent_client, family, other_family, after_school):
    stranger = other_family.child
    book(stranger, after_school, [MONDAY])
    with monday_morning():
        api = parent_client.post("/ville-a/api/v1/bookings/absences/", {
            "child": stranger.pk, "start": "2026-11-30", "end": "2026-11-30"}, content_type="application/json")
        assert api.status_code == 404
        page = parent_client.post("/ville-a/reservations/absences/", {
            "child": stranger.pk, "start": "2026-11-30", "end": "2026-11-30", "reason": "illness"})
        assert page.status_code == 200 and "Sélectionnez un choix valide" in page.content.decode()
        # Days gone by are refused with a French message
        past = parent_client.post("/ville-a/api/v1/bookings/absences/", {
            "child": family.child.pk, "start": "2026-11-27", "end": "2026-11-27"}, content_type="application/json")
        assert past.status_code == 400 and "aujourd'hui ou les jours à venir" in past.content.decode()
    assert not Absence.objects.exists()
    theirs = Absence.objects.create(child=stranger, start=MONDAY, end=MONDAY)
    with monday_morning():  # the parent's session was last used then
        assert parent_client.post(f"/ville-a/reservations/absences/{theirs.pk}/certificat/",
                                  {"certificate": pdf_upload()}).status_code == 404
        assert parent_client.post(f"/ville-a/gestion/reservations/absences/{theirs.pk}/decision/",
                                  {"decision": "validate"}).status_code == 302
        assert parent_client.get(f"/ville-a/gestion/reservations/absences/{theirs.pk}/certificat/"
                                 ).status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == "declared"
