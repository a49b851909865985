"""Staff screens for tariffs and billing rules, and the town admin: the same rules as the
services, shown next to the fields; parents kept out."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest

from tenant_apps.bookings.tests.factories import book, school_days
from tenant_apps.catalog.tests.factories import ServiceFactory

from ..models import BillingSettings, Tariff
from ..services import BracketInput, household_invoice_issue, tariff_create
from .conftest import APRIL

BASE = "/ville-a/gestion/facturation"


@pytest.fixture
def meals(town):
    return ServiceFactory(name="Repas Enfant")


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\u00a0", " ")


def management(total: int) -> dict:
    return {"brackets-TOTAL_FORMS": str(total), "brackets-INITIAL_FORMS": "0",
            "brackets-MIN_NUM_FORMS": "0", "brackets-MAX_NUM_FORMS": "30"}


def tariff_post(service, *, rows=(), **fields) -> dict:
    data = {"service": str(service.pk), "label": "", "valid_from": "2026-09-01", "valid_until": "", "unit_price": "",
            **management(len(rows) + 1)}
    for index, (qf_min, qf_max, price) in enumerate(rows):
        data.update({f"brackets-{index}-qf_min": qf_min, f"brackets-{index}-qf_max": qf_max,
                     f"brackets-{index}-price": price})
    data.update(fields)
    return data


def field_error(page: str, field_id: str) -> str:
    """The error Django renders right before the field (`as_field_group`): its error list id."""
    match = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', page, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


CANTINE = [("0", "450", "1,00"), ("451", "900", "2,80"), ("901", "", "3,60")]


def test_staff_create_a_qf_tariff_and_see_it_in_the_price_list(staff_client, meals):
    # Given the empty creation form offers bracket rows
    form = text(staff_client.get(f"{BASE}/tarifs/nouveau/?prestation={meals.pk}"))
    assert "Tranche n° 1" in form and "Ajouter une tranche" in form
    # When staff enter the "cantine à 1 €" brackets (French decimal commas)
    response = staff_client.post(f"{BASE}/tarifs/nouveau/", tariff_post(meals, rows=CANTINE), follow=True)
    # Then the price list shows the tariff as on the town's leaflet
    page = text(response)
    assert "Tarif « Repas Enfant » du 01/09/2026 au … enregistré." in page
    assert "Repas Enfant — du 01/09/2026 au … — QF 0–450 : 1,00 € ; 451–900 : 2,80 € ; > 900 : 3,60 €" in page
    assert Tariff.objects.get().brackets.count() == 3


def test_a_gap_between_brackets_is_shown_next_to_the_row_and_nothing_is_lost(staff_client, meals):
    rows = [("0", "450", "1,00"), ("500", "", "3,60")]
    response = staff_client.post(f"{BASE}/tarifs/nouveau/", tariff_post(meals, rows=rows))
    assert response.status_code == 400
    page = text(response)
    assert "aucun prix pour les QF de 451 à 499" in field_error(page, "id_brackets-1-qf_min")
    # What staff typed is still there
    assert 'value="500"' in page and 'value="3,60"' in page
    assert not Tariff.objects.exists()


def test_overlapping_brackets_are_refused_on_the_screen(staff_client, meals):
    rows = [("0", "450", "1,00"), ("400", "", "3,60")]
    page = text(staff_client.post(f"{BASE}/tarifs/nouveau/", tariff_post(meals, rows=rows)))
    assert "le QF 400 est dans deux tranches" in field_error(page, "id_brackets-1-qf_min")


def test_a_flat_price_with_brackets_is_refused_next_to_the_price(staff_client, meals):
    response = staff_client.post(f"{BASE}/tarifs/nouveau/", tariff_post(meals, rows=CANTINE, unit_price="3,30"))
    assert response.status_code == 400
    assert "soit un prix unique, soit des tranches" in field_error(text(response), "id_unit_price")


def test_a_negative_price_is_refused_next_to_the_bracket_price(staff_client, meals):
    rows = [("0", "450", "-1,00"), ("451", "", "3,60")]
    response = staff_client.post(f"{BASE}/tarifs/nouveau/", tariff_post(meals, rows=rows))
    assert response.status_code == 400
    assert "ne peut pas être négatif" in field_error(text(response), "id_brackets-0-price")


def test_an_overlapping_tariff_is_refused_with_the_other_tariffs_dates(staff_client, meals):
    tariff_create(service=meals, label="Cantine 2026", valid_from=dt.date(2026, 1, 5), unit_price=Decimal("3.20"))
    response = staff_client.post(f"{BASE}/tarifs/nouveau/", tariff_post(meals, unit_price="3,30"))
    assert response.status_code == 400
    assert "« Cantine 2026 » de cette prestation est déjà valable du 05/01/2026 au …" in field_error(
        text(response), "id_valid_from")


def test_garbage_input_is_a_400_with_french_messages(staff_client, meals):
    data = tariff_post(meals, rows=[("zéro", "", "beaucoup")], valid_from="demain", unit_price="")
    response = staff_client.post(f"{BASE}/tarifs/nouveau/", data)
    assert response.status_code == 400
    page = text(response)
    assert "Saisissez une date valide" in field_error(page, "id_valid_from")
    assert "Saisissez un nombre entier" in field_error(page, "id_brackets-0-qf_min")
    # A tampered row count is a 400 too, never a 500
    data["brackets-TOTAL_FORMS"] = "abc"
    assert staff_client.post(f"{BASE}/tarifs/nouveau/", data).status_code == 400


def test_add_a_bracket_row_without_javascript_keeps_what_was_typed(staff_client, meals):
    data = tariff_post(meals, rows=[("0", "450", "1,00")], add_bracket="1")
    data["brackets-TOTAL_FORMS"] = "1"
    response = staff_client.post(f"{BASE}/tarifs/nouveau/", data)
    page = text(response)
    assert response.status_code == 200
    assert "Tranche n° 2" in page and 'value="450"' in page
    assert "errorlist" not in page


def test_staff_edit_an_unused_tariff(staff_client, meals):
    tariff = tariff_create(service=meals, valid_from=dt.date(2026, 9, 1), unit_price=Decimal("3.30"))
    page = text(staff_client.get(f"{BASE}/tarifs/{tariff.pk}/"))
    assert 'value="3,30"' in page and "déjà servi" not in page
    response = staff_client.post(f"{BASE}/tarifs/{tariff.pk}/",
                                 tariff_post(meals, rows=CANTINE, label="Cantine 2026-2027"), follow=True)
    assert "QF 0–450 : 1,00 €" in text(response)
    tariff.refresh_from_db()
    assert (tariff.mode, tariff.label) == (Tariff.Mode.FAMILY_QUOTIENT, "Cantine 2026-2027")


@pytest.fixture
def invoiced_tariff(alain):
    household, theo = alain.household, alain.child
    service = ServiceFactory(name="Repas Enfant")
    tariff = tariff_create(service=service, valid_from=dt.date(2018, 9, 1), unit_price=Decimal("3.30"))
    book(theo, service, school_days(*APRIL)[:10])
    invoice = household_invoice_issue(household_id=household.pk, period_start=APRIL[0], period_end=APRIL[1])
    return tariff, invoice


def test_a_billed_tariff_cannot_change_price_on_screen_but_can_be_closed(staff_client, invoiced_tariff):
    tariff, invoice = invoiced_tariff
    # Given the list says it was billed
    assert "déjà facturé" in text(staff_client.get(f"{BASE}/tarifs/"))
    # When staff try to raise its price
    page = staff_client.get(f"{BASE}/tarifs/{tariff.pk}/")
    assert "déjà servi à des factures émises" in text(page)
    response = staff_client.post(f"{BASE}/tarifs/{tariff.pk}/",
                                 tariff_post(tariff.service, valid_from="2018-09-01", unit_price="3,50"))
    # Then they are told to close it instead
    assert response.status_code == 400
    assert "Clôturez-le, puis créez un nouveau tarif" in text(response)
    # When they close it at the end of April
    response = staff_client.post(f"{BASE}/tarifs/{tariff.pk}/cloturer/", {"valid_until": "2019-04-30"}, follow=True)
    page = text(response)
    assert "Tarif « Repas Enfant » clôturé au 30/04/2019." in page
    assert "Repas Enfant — du 01/09/2018 au 30/04/2019 — 3,30 €" in page
    # And the "new tariff" link starts the day after
    assert f"?prestation={tariff.service_id}&du=2019-05-01" in page
    # And create May's price
    staff_client.post(f"{BASE}/tarifs/nouveau/", tariff_post(tariff.service, valid_from="2019-05-01", unit_price="3,50"))
    invoice.refresh_from_db()
    assert invoice.total == Decimal("33.00")
    assert list(Tariff.objects.order_by("valid_from").values_list("unit_price", flat=True)) == [
        Decimal("3.30"), Decimal("3.50")]


def test_closing_before_a_billed_day_is_refused_next_to_the_date(staff_client, invoiced_tariff):
    tariff, _invoice = invoiced_tariff
    response = staff_client.post(f"{BASE}/tarifs/{tariff.pk}/cloturer/", {"valid_until": "2019-04-02"})
    assert response.status_code == 400
    assert "déjà été facturé jusqu'au" in field_error(text(response), "id_valid_until")


def test_staff_set_the_billing_rules(staff_client):
    page = text(staff_client.get(f"{BASE}/regles/"))
    assert "Majoration des présences non réservées (%)" in page
    response = staff_client.post(f"{BASE}/regles/", {
        "bill_unbooked_attendance": "on", "unbooked_surcharge_percent": "12,5", "payment_due_days": "20",
        "collection_office": "Régie enfance, mairie",
    }, follow=True)
    assert "Règles de facturation enregistrées" in text(response)
    rules = BillingSettings.objects.get()
    assert (rules.bill_unjustified_absences, rules.bill_unbooked_attendance) == (False, True)
    assert (rules.unbooked_surcharge_percent, rules.payment_due_days) == (Decimal("12.50"), 20)


def test_out_of_range_billing_rules_are_refused_next_to_the_field(staff_client):
    response = staff_client.post(f"{BASE}/regles/", {"unbooked_surcharge_percent": "150", "payment_due_days": "30"})
    assert response.status_code == 400
    assert "ne peut pas dépasser 100 %" in field_error(text(response), "id_unbooked_surcharge_percent")
    assert not BillingSettings.objects.exists()


def test_the_billing_home_links_to_tariffs_and_rules(staff_client):
    page = staff_client.get(f"{BASE}/").content.decode()
    assert f'href="{BASE}/tarifs/"' in page and f'href="{BASE}/regles/"' in page


@pytest.mark.parametrize("path", ["/tarifs/", "/tarifs/nouveau/", "/regles/"])
def test_parents_cannot_reach_the_tariff_screens(alain_client, path):
    response = alain_client.get(f"{BASE}{path}")
    assert response.status_code == 302 and "/connexion/" in response.url


def test_parents_cannot_post_a_tariff(alain_client, meals):
    response = alain_client.post(f"{BASE}/tarifs/nouveau/", tariff_post(meals, unit_price="0,01"))
    assert response.status_code == 302
    assert not Tariff.objects.exists()


# --- The town admin --------------------------------------------------------------------------


def test_tariffs_are_read_only_in_the_admin_with_a_link_to_the_staff_screen(staff_client, meals):
    tariff = tariff_create(service=meals, valid_from=dt.date(2026, 9, 1),
                           brackets=[BracketInput(0, 450, Decimal("1.00")), BracketInput(451, None, Decimal("3.00"))])
    listing = text(staff_client.get("/ville-a/gestion/admin/billing/tariff/"))
    assert "QF 0–450 : 1,00 € ; > 450 : 3,00 €" in listing
    assert f'href="{BASE}/tarifs/{tariff.pk}/"' in listing
    assert staff_client.get("/ville-a/gestion/admin/billing/tariff/add/").status_code == 403
    detail = staff_client.get(f"/ville-a/gestion/admin/billing/tariff/{tariff.pk}/change/")
    assert detail.status_code == 200 and "Modifier ou clôturer dans Gestion › Tarifs" in text(detail)
    # A change posted to the admin is refused: prices only change through the checked screen
    response = staff_client.post(f"/ville-a/gestion/admin/billing/tariff/{tariff.pk}/change/", {
        "service": meals.pk, "valid_from": "2026-09-01", "mode": "flat", "unit_price": "-5"})
    assert response.status_code == 403
    assert staff_client.post(f"/ville-a/gestion/admin/billing/tariff/{tariff.pk}/delete/", {"post": "yes"}).status_code == 403
    tariff.refresh_from_db()
    assert (tariff.mode, tariff.brackets.count()) == (Tariff.Mode.FAMILY_QUOTIENT, 2)


def test_billing_rules_saved_in_the_admin_go_through_the_service(staff_client, monkeypatch):
    from .. import services

    calls = []
    real = services.billing_settings_update
    monkeypatch.setattr(services, "billing_settings_update", lambda **kw: calls.append(kw) or real(**kw))
    form = {"bill_unjustified_absences": "on", "unbooked_surcharge_percent": "150", "payment_due_days": "30",
            "collection_office": ""}
    # When staff enter a 150 % surcharge in the admin, it is refused with the service's message
    refused = staff_client.post("/ville-a/gestion/admin/billing/billingsettings/add/", form)
    assert refused.status_code == 200 and "ne peut pas dépasser 100 %" in text(refused)
    assert calls == []
    # And a valid one is saved by the service
    response = staff_client.post("/ville-a/gestion/admin/billing/billingsettings/add/",
                                 {**form, "unbooked_surcharge_percent": "10"})
    assert response.status_code == 302
    assert calls and calls[0]["unbooked_surcharge_percent"] == Decimal("10")
    assert BillingSettings.objects.get().unbooked_surcharge_percent == Decimal("10.00")


def test_odd_addresses_answer_4xx_or_a_plain_form_never_a_500(staff_client, meals):
    assert staff_client.get(f"{BASE}/tarifs/nouveau/?prestation=abc&du=hier").status_code == 200
    assert staff_client.get(f"{BASE}/tarifs/999999/").status_code == 404
    assert staff_client.get(f"{BASE}/tarifs/999999/cloturer/").status_code == 404
    assert staff_client.post(f"{BASE}/tarifs/nouveau/", {}).status_code == 400
    assert staff_client.post(f"{BASE}/regles/", {"payment_due_days": "trente"}).status_code == 400
