"""Mandates from the parent's request to staff's decision: a RUM unique in the town, the request
from MES FACTURES (IBAN and the signed PDF, or the paper form), staff validate or refuse it from
their list and the family is told; invoices then read "Prélèvement le …" instead of PAYER.
Staff screens and API refuse parents."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from tenant_apps.billing.models import Invoice

from ..errors import MandateAlreadyLive, MandateIncomplete
from ..models import Mandate
from ..services import mandate_refuse, mandate_request, mandate_revoke, rum_generate
from .helpers import (
    ALAIN_IBAN,
    BERNARD_IBAN,
    RUN_DAY,
    active_mandate,
    creditor_settings,
    invoicing_run,
    signed_mandate_pdf,
)

TOWN = "/ville-a"


def test_each_mandate_has_its_own_rum_and_the_town_never_holds_two_alike(family, other_family):
    creditor_settings()
    first = mandate_request(household=family.household, debtor_name="Marie ALAIN", iban=ALAIN_IBAN, paper_form=True)
    mandate_revoke(mandate=first)
    second = mandate_request(household=family.household, debtor_name="Marie ALAIN", iban=ALAIN_IBAN, paper_form=True)
    third = mandate_request(household=other_family.household, debtor_name="Paul BERNARD", iban=BERNARD_IBAN,
                            paper_form=True)
    assert len({first.rum, second.rum, third.rum}) == 3
    assert all(len(m.rum) <= 35 and m.rum.isalnum() for m in (first, second, third))
    assert rum_generate(family.household) != rum_generate(family.household)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.filter(pk=third.pk).update(rum=second.rum)


def test_one_live_request_per_household_and_a_signed_pdf_or_the_paper_form(family):
    creditor_settings()
    with pytest.raises(MandateIncomplete, match="Joignez le mandat signé"):
        mandate_request(household=family.household, debtor_name="Marie ALAIN", iban=ALAIN_IBAN)
    mandate_request(household=family.household, debtor_name="Marie ALAIN", iban=ALAIN_IBAN, document=signed_mandate_pdf())
    with pytest.raises(MandateAlreadyLive):
        mandate_request(household=family.household, debtor_name="Marie ALAIN", iban=ALAIN_IBAN, paper_form=True)


def test_a_parent_asks_from_mes_factures_and_staff_validate_from_their_list(
        family, parent_client, staff_client, run_jobs, mailoutbox, django_capture_on_commit_callbacks):
    creditor_settings()
    # Given MES FACTURES offers direct debit
    page = parent_client.get(f"{TOWN}/mes-factures/").content.decode()
    assert "Prélèvement automatique" in page and "Demander le prélèvement automatique" in page

    # When the parent types a wrong IBAN, they are told in French and nothing is recorded
    form = {"debtor_name": "Marie ALAIN", "iban": "FR76 3000 6000 0112 3456 7890 188", "bic": "", "how": "upload"}
    response = parent_client.post(f"{TOWN}/mes-factures/prelevement/", {**form, "document": signed_mandate_pdf()})
    assert "n&#x27;est pas valide : vérifiez-le sur votre RIB" in response.content.decode()
    assert not Mandate.objects.exists()

    # When they send a good one with the signed mandate
    form["iban"] = "FR76 3000 6000 0112 3456 7890 189"
    response = parent_client.post(f"{TOWN}/mes-factures/prelevement/", {**form, "document": signed_mandate_pdf()},
                                  follow=True)
    page = response.content.decode()
    assert "Votre demande de prélèvement automatique est envoyée" in page
    assert "FR76 **** **** **** **** **** 189" in page and ALAIN_IBAN not in page
    mandate = Mandate.objects.get()
    assert mandate.status == Mandate.Status.REQUESTED and mandate.bic == "AGRIFRPPXXX"

    # Then staff see it to validate, open the signed PDF and validate it
    staff_page = staff_client.get(f"{TOWN}/gestion/prelevements/").content.decode()
    assert "Demandes à valider" in staff_page and "ALAIN" in staff_page
    assert staff_client.get(f"{TOWN}/gestion/prelevements/mandats/{mandate.pk}/document/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"{TOWN}/gestion/prelevements/mandats/{mandate.pk}/valider/", {"signed_on": ""})
    run_jobs()
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.ACTIVE and mandate.signed_on is not None
    [mail] = mailoutbox
    assert mail.to == [family.user.email] and "mis en place" in mail.subject
    assert mandate.rum in mail.body and "FR76 **** **** **** **** **** 189" in mail.body


def test_staff_refuse_with_a_reason_the_family_reads(family, staff, run_jobs, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    creditor_settings()
    mandate = mandate_request(household=family.household, debtor_name="Marie ALAIN", iban=ALAIN_IBAN, paper_form=True)
    with pytest.raises(MandateIncomplete):
        mandate_refuse(mandate=mandate, reason="  ", refused_by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        mandate_refuse(mandate=mandate, reason="Le titulaire du compte n'est pas un responsable du foyer.",
                       refused_by=staff)
    run_jobs()
    assert "n'a pas été acceptée" in mailoutbox[0].subject
    assert "Le titulaire du compte n'est pas un responsable du foyer." in mailoutbox[0].body


def test_a_paper_form_needs_its_signature_date_at_validation(family, staff_client):
    creditor_settings()
    mandate = mandate_request(household=family.household, debtor_name="Marie ALAIN", iban=ALAIN_IBAN, paper_form=True)
    response = staff_client.post(f"{TOWN}/gestion/prelevements/mandats/{mandate.pk}/valider/", {"signed_on": ""},
                                 follow=True)
    assert "Indiquez la date de signature du formulaire papier." in response.content.decode()
    staff_client.post(f"{TOWN}/gestion/prelevements/mandats/{mandate.pk}/valider/", {"signed_on": "2026-11-20"})
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.ACTIVE and mandate.signed_on == dt.date(2026, 11, 20)


def test_a_parent_sees_the_debit_date_instead_of_payer(family, other_family, canteen, town, parent_client):
    from shared_apps.payments.services import payment_config_set

    payment_config_set(town=town, backend="dummy", params={}, enabled=True)
    creditor_settings()
    active_mandate(family.household)
    run = invoicing_run(canteen, [family.child, other_family.child])
    alain = Invoice.objects.get(run=run, household=family.household)
    with time_machine.travel(RUN_DAY, tick=False):
        page = parent_client.get(f"{TOWN}/mes-factures/").content.decode()
        api = parent_client.get(f"{TOWN}/api/v1/invoices/").json()
        refused = parent_client.post(f"{TOWN}/mes-factures/{alain.pk}/payer/", follow=True).content.decode()
    row = page[page.index(f'id="facture-{alain.number}"'):]
    row = row[:row.index("</li>")]
    assert "Prélèvement le 05/01/2027" in row and ">Payer<" not in row
    assert api[0]["direct_debit"] == "Prélèvement le 05/01/2027" and api[0]["can_pay"] is False
    assert "ne peut pas être payée en ligne" in refused
    # The other family, without a mandate, still has PAYER
    bernard_client = parent_client.__class__()
    bernard_client.force_login(other_family.user, backend="django.contrib.auth.backends.ModelBackend")
    with time_machine.travel(RUN_DAY, tick=False):
        other_page = bernard_client.get(f"{TOWN}/mes-factures/").content.decode()
    assert ">Payer<" in other_page and "Prélèvement le" not in other_page


@pytest.mark.parametrize("url", [
    "/gestion/prelevements/", "/gestion/prelevements/reglages/", "/gestion/prelevements/mandats/1/",
])
def test_staff_screens_refuse_parents(family, parent_client, url):
    response = parent_client.get(f"{TOWN}{url}")
    assert response.status_code == 302 and "/connexion/" in response.url


def test_the_api_gives_the_parent_their_mandate_and_staff_the_list_to_validate(family, parent_client, staff_client):
    creditor_settings()
    assert parent_client.get(f"{TOWN}/api/v1/direct-debit/mandate/").json() == {"available": True, "mandate": None}
    response = parent_client.post(f"{TOWN}/api/v1/direct-debit/mandate/", {
        "debtor_name": "Marie ALAIN", "iban": "FR00 1234", "paper_form": "true"})
    assert response.status_code == 400 and response.json()["code"] == "iban_invalid"
    response = parent_client.post(f"{TOWN}/api/v1/direct-debit/mandate/", {
        "debtor_name": "Marie ALAIN", "iban": ALAIN_IBAN, "paper_form": "true"})
    assert response.status_code == 201 and response.json()["iban"] == "FR76 **** **** **** **** **** 189"
    mandate_id = response.json()["id"]
    # Parents cannot use the staff endpoints
    assert parent_client.get(f"{TOWN}/api/v1/direct-debit/mandates/").status_code == 403
    assert parent_client.post(f"{TOWN}/api/v1/direct-debit/mandates/{mandate_id}/validate/",
                              {"signed_on": "2026-11-20"}).status_code == 403
    listed = staff_client.get(f"{TOWN}/api/v1/direct-debit/mandates/?status=requested").json()
    assert [m["id"] for m in listed] == [mandate_id]
    validated = staff_client.post(f"{TOWN}/api/v1/direct-debit/mandates/{mandate_id}/validate/",
                                  {"signed_on": "2026-11-20"})
    assert validated.status_code == 200 and validated.json()["status"] == "active"
    assert parent_client.get(f"{TOWN}/api/v1/direct-debit/mandate/").json()["mandate"]["status_label"] == "Actif"
