"""Tariff and billing-rule services: every rule staff meet when they set prices, whichever
screen they use (staff pages, town admin)."""

import datetime as dt
from decimal import Decimal

import pytest

from tenant_apps.bookings.tests.factories import book, school_days
from tenant_apps.catalog.tests.factories import ServiceFactory

from ..errors import (
    InvalidAmount,
    InvalidBillingSettings,
    InvalidBrackets,
    InvalidValidity,
    TariffCloseTooEarly,
    TariffFlatAndBrackets,
    TariffInUse,
    TariffOverlap,
    TariffPriceMissing,
)
from ..models import BillingSettings, Invoice, Tariff
from ..services import (
    BracketInput,
    billing_settings_update,
    credit_note_issue,
    household_invoice_issue,
    tariff_close,
    tariff_create,
    tariff_update,
)
from .conftest import APRIL

SEPT_2026 = dt.date(2026, 9, 1)
CANTINE_A_1_EURO = [BracketInput(0, 450, Decimal("1.00")), BracketInput(451, 900, Decimal("2.80")),
                    BracketInput(901, None, Decimal("3.60"))]


@pytest.fixture
def meals(town):
    return ServiceFactory(name="Repas Enfant")


def brackets(*rows):
    return [BracketInput(qf_min, qf_max, Decimal(price)) for qf_min, qf_max, price in rows]


# --- Creating prices -------------------------------------------------------------------------


def test_a_qf_tariff_with_a_one_euro_bracket_is_created_and_reads_like_the_price_list(meals):
    # When staff create the "cantine à 1 €" tariff from September 2026
    tariff = tariff_create(service=meals, valid_from=SEPT_2026, brackets=CANTINE_A_1_EURO)
    # Then it is a QF tariff whose prices read as on the town's price list
    tariff = Tariff.objects.prefetch_related("brackets").get(pk=tariff.pk)
    assert tariff.mode == Tariff.Mode.FAMILY_QUOTIENT and tariff.unit_price is None
    assert tariff.period_label == "du 01/09/2026 au …"
    assert tariff.prices_label == "QF 0–450 : 1,00\u00a0€ ; 451–900 : 2,80\u00a0€ ; > 900 : 3,60\u00a0€"


def test_brackets_entered_in_any_order_are_stored_by_qf(meals):
    tariff = tariff_create(service=meals, valid_from=SEPT_2026,
                           brackets=list(reversed(CANTINE_A_1_EURO)))
    assert list(tariff.brackets.values_list("qf_min", flat=True)) == [0, 451, 901]


def test_a_flat_tariff_and_a_free_bracket_are_accepted(meals, town):
    flat = tariff_create(service=meals, valid_from=SEPT_2026, valid_until=dt.date(2026, 12, 31),
                         unit_price=Decimal("3.3"))
    assert (flat.mode, flat.unit_price) == (Tariff.Mode.FLAT, Decimal("3.30"))
    free_first = tariff_create(service=ServiceFactory(), valid_from=SEPT_2026,
                               brackets=brackets((0, 300, "0.00"), (301, None, "2.00")))
    assert free_first.brackets.first().price == Decimal("0.00")


def test_flat_price_and_brackets_together_are_refused(meals):
    with pytest.raises(TariffFlatAndBrackets) as error:
        tariff_create(service=meals, valid_from=SEPT_2026, unit_price=Decimal("3.30"), brackets=CANTINE_A_1_EURO)
    assert error.value.code == "tariff_flat_and_brackets"
    assert "soit un prix unique, soit des tranches" in str(error.value.message)
    assert not Tariff.objects.exists()


def test_a_tariff_without_any_price_is_refused(meals):
    with pytest.raises(TariffPriceMissing):
        tariff_create(service=meals, valid_from=SEPT_2026)


@pytest.mark.parametrize(("price", "message"), [
    (Decimal("-1.00"), "ne peut pas être négatif"),
    (Decimal("2.805"), "au plus deux décimales"),
    (2.8, "montant en euros"),
    ("trois", "montant en euros"),
])
def test_negative_or_sub_cent_prices_are_refused(meals, price, message):
    with pytest.raises(InvalidAmount) as flat_error:
        tariff_create(service=meals, valid_from=SEPT_2026, unit_price=price)
    assert message in str(flat_error.value.message) and flat_error.value.field == "unit_price"
    # The same rule holds for a bracket, and the message names it
    with pytest.raises(InvalidAmount) as bracket_error:
        tariff_create(service=meals, valid_from=SEPT_2026,
                      brackets=[BracketInput(0, 450, Decimal("1.00")), BracketInput(451, None, price)])
    assert "tranche n° 2" in str(bracket_error.value.message)
    assert (bracket_error.value.field, bracket_error.value.index) == ("price", 1)
    assert bracket_error.value.code == "invalid_amount"
    assert not Tariff.objects.exists()


@pytest.mark.parametrize(("rows", "message", "index"), [
    # a gap between 450 and 500
    ([(0, 450, "1.00"), (500, None, "3.60")], "aucun prix pour les QF de 451 à 499", 1),
    # QF 450 in two brackets
    ([(0, 450, "1.00"), (450, None, "3.60")], "le QF 450 est dans deux tranches", 1),
    # not starting at 0
    ([(100, 450, "1.00"), (451, None, "3.60")], "doit commencer au QF 0", 0),
    # a last bracket with an upper bound
    ([(0, 450, "1.00"), (451, 900, "3.60")], "doit être sans limite haute", 1),
    # an open-ended bracket that is not the last
    ([(0, None, "1.00"), (451, None, "3.60")], "Seule la dernière tranche", 0),
    # upper bound below lower bound
    ([(0, 450, "1.00"), (451, 300, "2.00"), (301, None, "3.60")], "finit (QF 300) avant de commencer (QF 451)", 1),
])
def test_brackets_must_cover_every_qf_once_from_zero_to_no_upper_bound(meals, rows, message, index):
    with pytest.raises(InvalidBrackets) as error:
        tariff_create(service=meals, valid_from=SEPT_2026, brackets=brackets(*rows))
    assert message in str(error.value.message)
    assert error.value.code == "invalid_brackets" and error.value.index == index
    assert not Tariff.objects.exists()


def test_the_end_of_validity_cannot_precede_its_start(meals):
    with pytest.raises(InvalidValidity):
        tariff_create(service=meals, valid_from=SEPT_2026, valid_until=dt.date(2026, 8, 31),
                      unit_price=Decimal("3.00"))


def test_two_tariffs_of_a_service_cannot_overlap_and_the_message_names_the_other(meals):
    # Given the 2026-2027 tariff, open-ended
    tariff_create(service=meals, label="Cantine 2026-2027", valid_from=SEPT_2026, brackets=CANTINE_A_1_EURO)
    # When staff add a January price without closing it first
    with pytest.raises(TariffOverlap) as error:
        tariff_create(service=meals, valid_from=dt.date(2027, 1, 4), unit_price=Decimal("3.80"))
    # Then they are told which tariff is in the way and on which dates
    assert error.value.code == "tariff_overlap"
    assert "« Cantine 2026-2027 »" in str(error.value.message)
    assert "du 01/09/2026 au …" in str(error.value.message)
    # And an earlier period ending the day before is fine, as is another service on the same dates
    tariff_create(service=meals, valid_from=dt.date(2025, 9, 1), valid_until=dt.date(2026, 8, 31),
                  unit_price=Decimal("3.20"))
    tariff_create(service=ServiceFactory(), valid_from=SEPT_2026, unit_price=Decimal("2.00"))
    with pytest.raises(TariffOverlap) as closed_error:
        tariff_create(service=meals, valid_from=dt.date(2026, 8, 1), valid_until=dt.date(2026, 8, 15),
                      unit_price=Decimal("3.00"))
    assert "du 01/09/2025 au 31/08/2026" in str(closed_error.value.message)


def test_an_unused_tariff_can_be_edited_freely(meals):
    tariff = tariff_create(service=meals, valid_from=SEPT_2026, unit_price=Decimal("3.30"))
    # When staff correct it into a QF tariff starting a week later
    tariff = tariff_update(tariff=tariff, label="Cantine", valid_from=dt.date(2026, 9, 7), valid_until=None,
                           brackets=CANTINE_A_1_EURO)
    tariff.refresh_from_db()
    assert (tariff.mode, tariff.unit_price, tariff.valid_from) == (Tariff.Mode.FAMILY_QUOTIENT, None, dt.date(2026, 9, 7))
    assert tariff.brackets.count() == 3
    # And back to flat: the brackets go away
    tariff = tariff_update(tariff=tariff, valid_from=dt.date(2026, 9, 7), valid_until=None, unit_price=Decimal("3.40"))
    assert (tariff.mode, tariff.brackets.count()) == (Tariff.Mode.FLAT, 0)


def test_an_update_cannot_make_two_tariffs_overlap(meals):
    tariff_create(service=meals, valid_from=dt.date(2025, 9, 1), valid_until=dt.date(2026, 8, 31),
                  unit_price=Decimal("3.20"))
    later = tariff_create(service=meals, valid_from=SEPT_2026, unit_price=Decimal("3.30"))
    with pytest.raises(TariffOverlap):
        tariff_update(tariff=later, valid_from=dt.date(2026, 6, 1), valid_until=None, unit_price=Decimal("3.30"))


# --- A price already invoiced ----------------------------------------------------------------


@pytest.fixture
def invoiced_april(alain, town):
    """Théo's canteen of April 2019 invoiced at the flat 3.30 € tariff valid since September 2018."""
    household, theo = alain.household, alain.child
    service = ServiceFactory(name="Repas Enfant")
    tariff = tariff_create(service=service, valid_from=dt.date(2018, 9, 1), unit_price=Decimal("3.30"))
    book(theo, service, school_days(*APRIL)[:10])
    invoice = household_invoice_issue(household_id=household.pk, period_start=APRIL[0], period_end=APRIL[1])
    return tariff, invoice


def test_a_tariff_used_by_an_issued_invoice_cannot_change_its_price_or_start(invoiced_april):
    tariff, _invoice = invoiced_april
    with pytest.raises(TariffInUse) as error:
        tariff_update(tariff=tariff, valid_from=tariff.valid_from, valid_until=None, unit_price=Decimal("3.50"))
    assert error.value.code == "tariff_in_use"
    assert "Clôturez-le, puis créez un nouveau tarif" in str(error.value.message)
    with pytest.raises(TariffInUse):
        tariff_update(tariff=tariff, valid_from=dt.date(2019, 1, 1), valid_until=None, unit_price=Decimal("3.30"))
    with pytest.raises(TariffInUse):
        tariff_update(tariff=tariff, valid_from=tariff.valid_from, valid_until=None,
                      brackets=brackets((0, None, "3.30")))
    tariff.refresh_from_db()
    assert (tariff.unit_price, tariff.valid_from, tariff.mode) == (Decimal("3.30"), dt.date(2018, 9, 1), "flat")
    # But its label may still be corrected
    tariff_update(tariff=tariff, label="Repas 2018-2019", valid_from=tariff.valid_from, valid_until=None,
                  unit_price=Decimal("3.30"))
    tariff.refresh_from_db()
    assert tariff.label == "Repas 2018-2019"


def test_a_used_tariff_cannot_be_closed_before_a_day_it_billed(invoiced_april):
    tariff, _invoice = invoiced_april
    last_billed = school_days(*APRIL)[9]
    with pytest.raises(TariffCloseTooEarly) as error:
        tariff_close(tariff=tariff, valid_until=last_billed - dt.timedelta(days=1))
    assert f"facturé jusqu'au {last_billed:%d/%m/%Y}" in str(error.value.message)
    assert tariff_close(tariff=tariff, valid_until=last_billed).valid_until == last_billed


def test_a_tariff_cannot_change_while_an_invoicing_run_covers_its_dates(meals):
    from ..errors import TariffInvoicingInProgress
    from ..models import InvoiceRun

    tariff = tariff_create(service=meals, valid_from=dt.date(2019, 1, 1), unit_price=Decimal("3.30"))
    # Given April's run is being computed
    run = InvoiceRun.objects.create(period_start=APRIL[0], period_end=APRIL[1], status=InvoiceRun.Status.RUNNING)
    # Then the tariff's price and end cannot change under it
    with pytest.raises(TariffInvoicingInProgress) as error:
        tariff_update(tariff=tariff, valid_from=tariff.valid_from, valid_until=None, unit_price=Decimal("3.50"))
    assert error.value.code == "tariff_invoicing_in_progress"
    with pytest.raises(TariffInvoicingInProgress):
        tariff_close(tariff=tariff, valid_until=dt.date(2019, 4, 15))
    # But closing after the run's period is fine, and so is everything once the run is done
    tariff_close(tariff=tariff, valid_until=dt.date(2019, 6, 30))
    InvoiceRun.objects.filter(pk=run.pk).update(status=InvoiceRun.Status.DONE)
    tariff_update(tariff=tariff, valid_from=tariff.valid_from, valid_until=None, unit_price=Decimal("3.50"))


def test_closing_before_the_start_is_refused(invoiced_april):
    tariff, _invoice = invoiced_april
    with pytest.raises(InvalidValidity):
        tariff_close(tariff=tariff, valid_until=dt.date(2018, 8, 31))


def test_a_new_price_after_closing_leaves_the_issued_invoice_unchanged_and_bills_the_next_run(alain, invoiced_april):
    household, theo = alain.household, alain.child
    tariff, april = invoiced_april
    # Given the April invoice, issued at 3.30 €
    assert april.total == Decimal("33.00")
    # When staff close the tariff at the end of April and set 3.50 € from May
    tariff_close(tariff=tariff, valid_until=APRIL[1])
    tariff_create(service=tariff.service, valid_from=dt.date(2019, 5, 1), unit_price=Decimal("3.50"))
    # Then the April invoice is unchanged
    april.refresh_from_db()
    assert april.total == Decimal("33.00")
    assert [line.unit_price for line in april.lines.all()] == [Decimal("3.30")]
    # And May's run bills the new price
    may = (dt.date(2019, 5, 1), dt.date(2019, 5, 31))
    book(theo, tariff.service, school_days(*may)[:4])
    invoice = household_invoice_issue(household_id=household.pk, period_start=may[0], period_end=may[1])
    [line] = invoice.lines.all()
    assert (line.quantity, line.unit_price, invoice.total) == (4, Decimal("3.50"), Decimal("14.00"))


def test_a_tariff_only_used_by_an_invoice_cancelled_by_a_credit_note_can_be_corrected(invoiced_april):
    tariff, april = invoiced_april
    # Given the April invoice was cancelled by an avoir (the price was wrong)
    credit_note_issue(invoice=april, reason="Prix erroné")
    # When staff correct the price
    tariff_update(tariff=tariff, valid_from=tariff.valid_from, valid_until=None, unit_price=Decimal("3.10"))
    # Then the cancelled invoice still shows what it said
    april.refresh_from_db()
    assert (april.status, april.total) == (Invoice.Status.CANCELLED, Decimal("33.00"))


def test_imported_invoice_lines_without_bookings_count_for_their_whole_period(alain, town):
    household, theo = alain.household, alain.child
    service = ServiceFactory(name="Repas Enfant")
    tariff = tariff_create(service=service, valid_from=dt.date(2018, 9, 1), unit_price=Decimal("3.30"))
    # Given an invoice imported from the previous software (no bookings linked), like the demo's
    from tenant_apps.billing.demo import _invoice
    _invoice(household, sequence=380, start=APRIL[0], end=APRIL[1], issued_on=dt.date(2019, 5, 6),
             lines=[(theo, service, 14, "3.30")])
    with pytest.raises(TariffInUse):
        tariff_update(tariff=tariff, valid_from=tariff.valid_from, valid_until=None, unit_price=Decimal("3.50"))
    with pytest.raises(TariffCloseTooEarly):
        tariff_close(tariff=tariff, valid_until=dt.date(2019, 4, 29))


# --- Billing rules ---------------------------------------------------------------------------


def test_billing_rules_are_saved_in_one_row(town):
    rules = billing_settings_update(bill_unjustified_absences=False, bill_unbooked_attendance=True,
                                    unbooked_surcharge_percent=Decimal("20"), payment_due_days=15,
                                    collection_office=" Régie, mairie ")
    again = billing_settings_update(bill_unjustified_absences=True, bill_unbooked_attendance=False,
                                    unbooked_surcharge_percent=Decimal("0"), payment_due_days=30)
    assert BillingSettings.objects.count() == 1 and again.pk == rules.pk
    assert rules.collection_office == "Régie, mairie"
    assert BillingSettings.current().bill_unbooked_attendance is False


@pytest.mark.parametrize(("surcharge", "days", "field"), [
    (Decimal("-5"), 30, "unbooked_surcharge_percent"),
    (Decimal("150"), 30, "unbooked_surcharge_percent"),
    (Decimal("10.555"), 30, "unbooked_surcharge_percent"),
    (Decimal("10"), 400, "payment_due_days"),
    (Decimal("10"), -1, "payment_due_days"),
])
def test_billing_rules_out_of_range_are_refused(town, surcharge, days, field):
    with pytest.raises((InvalidBillingSettings, InvalidAmount)) as error:
        billing_settings_update(bill_unjustified_absences=True, bill_unbooked_attendance=True,
                                unbooked_surcharge_percent=surcharge, payment_due_days=days)
    assert error.value.field == field
    assert not BillingSettings.objects.exists()


# --- API: the prices a family pays ------------------------------------------------------------


def test_a_parent_reads_the_current_prices_for_their_quotient(alain, alain_client):
    import time_machine

    household = alain.household  # QF 650, valid throughout 2019
    meals = ServiceFactory(name="Repas Enfant", position=1)
    evening = ServiceFactory(name="Accueil périscolaire soir", position=2)
    tariff_create(service=meals, valid_from=dt.date(2018, 9, 1), valid_until=dt.date(2019, 8, 31),
                  brackets=CANTINE_A_1_EURO)
    tariff_create(service=meals, valid_from=dt.date(2019, 9, 1), unit_price=Decimal("4.00"))
    tariff_create(service=evening, valid_from=dt.date(2018, 9, 1), unit_price=Decimal("3.00"))
    with time_machine.travel(dt.datetime(2019, 5, 6, 10, 0, tzinfo=dt.UTC), tick=False):
        body = alain_client.get("/ville-a/api/v1/tariffs/").json()
        # Then each service shows the price of the household's bracket (451–900)
        assert [(t["service_name"], t["unit_price"]) for t in body] == [("Repas Enfant", "2.80"),
                                                                        ("Accueil périscolaire soir", "3.00")]
        assert body[0]["applied_bracket"] == {"qf_min": 451, "qf_max": 900, "price": "2.80"}
        assert len(body[0]["brackets"]) == 3 and body[1]["brackets"] == [] and body[1]["applied_bracket"] is None
        # And next school year's price can be read ahead, where the QF has expired: flat 4.00 €
        ahead = alain_client.get("/ville-a/api/v1/tariffs/?date=2019-09-02").json()
        assert ahead[0]["unit_price"] == "4.00" and ahead[0]["mode"] == "flat"
        # Without a valid QF the household pays the top bracket

        from tenant_apps.families.models import Household
        Household.objects.filter(pk=household.pk).update(family_quotient=None)
        top = alain_client.get("/ville-a/api/v1/tariffs/?date=2019-05-06").json()
        assert top[0]["unit_price"] == "3.60"
        bad = alain_client.get("/ville-a/api/v1/tariffs/?date=demain")
        assert bad.status_code == 400 and "Date invalide" in bad.json()["detail"]


def test_staff_without_a_household_get_a_404_from_the_parents_tariffs_api(client, town):
    from tenant_apps.accounts.models import User

    client.force_login(User.objects.create_user("agent@ville-a.fr", is_staff=True))
    assert client.get("/ville-a/api/v1/tariffs/").status_code == 404
    client.logout()
    assert client.get("/ville-a/api/v1/tariffs/").status_code == 401


def test_the_openapi_schema_documents_the_tariffs_endpoint(town):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator(urlconf="config.urls_town").get_schema(request=None, public=True)["paths"]
    operation = paths["/api/v1/tariffs/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"date"}
    assert "400" in operation["responses"]
