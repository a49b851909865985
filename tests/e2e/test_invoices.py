"""A parent opens MES FACTURES, downloads an invoice, pays it online (new tab, simulated bank of
eopayment's dummy backend) and sees it Payé, with a confirmation e-mail."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def alain_invoice(live_town, settings, tmp_path):
    from shared_apps.payments.services import payment_config_set
    from tenant_apps.accounts.tests.factories import PASSWORD, UserFactory
    from tenant_apps.billing.services import household_invoice_issue
    from tenant_apps.billing.tests.factories import TariffFactory
    from tenant_apps.bookings.tests.factories import book, school_days
    from tenant_apps.catalog.tests.factories import ServiceFactory
    from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory, HouseholdFactory

    town, base_url = live_town
    settings.MEDIA_ROOT = tmp_path / "media"  # the PDF opened in the test is not kept
    payment_config_set(town=town, backend="dummy", enabled=True)
    with tenant_context(town):
        household = HouseholdFactory(name="ALAIN")
        GuardianFactory(household=household, first_name="Claire", last_name="ALAIN",
                        user=UserFactory(email="claire.alain@example.org", password=PASSWORD))
        theo = ChildFactory(household=household, first_name="Théo", last_name="ALAIN")
        canteen = ServiceFactory(name="Repas Enfant")
        TariffFactory(service=canteen)
        april = (dt.date(2019, 4, 1), dt.date(2019, 4, 30))
        book(theo, canteen, school_days(*april, weekdays=range(6))[:24])
        invoice = household_invoice_issue(household_id=household.pk, period_start=april[0], period_end=april[1])
    return town, base_url, invoice


def test_a_parent_pays_an_invoice_from_mes_factures(alain_invoice, page, smtp_capture, run_jobs):
    town, base_url, invoice = alain_invoice

    # Given Claire signs in and opens MES FACTURES
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Email").fill("claire.alain@example.org")
    page.get_by_label("Mot de passe").fill("Tartine-2-Confiture")
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("link", name="Mes factures", exact=True).click()  # the nav link (the home tile is "Mes factures 1 impayée")
    page.wait_for_url(f"{base_url}/mes-factures/")
    row = page.locator(f"#facture-{invoice.number}")
    expect(page.get_by_role("heading", name="Factures 2019")).to_be_visible()
    expect(row).to_contain_text("Enregistré")
    expect(row).to_contain_text("Du 1 avr. 2019 au 30 avr. 2019")
    expect(row).to_contain_text("0,00 € payé sur 79,20 €")
    # And the page passes axe's automated accessibility checks
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    # When she downloads it, the PDF opens in a new tab
    with page.expect_popup() as pdf_tab:
        row.get_by_role("link", name=re.compile("Télécharger")).click()
    assert pdf_tab.value.url.endswith(f"/mes-factures/{invoice.pk}/pdf/")
    pdf_tab.value.close()

    # When she clicks PAYER, the provider's page opens in a new tab
    with page.expect_popup() as bank_tab:
        row.get_by_role("button", name=re.compile("Payer")).click()
    bank = bank_tab.value
    expect(bank.get_by_role("heading", name="Banque simulée")).to_be_visible()
    expect(bank.get_by_text("79,20 €")).to_be_visible()
    # Meanwhile MES FACTURES shows the invoice "En paiement"
    expect(row).to_contain_text("En paiement", timeout=10_000)

    # And she confirms the payment at the bank
    bank.get_by_role("button", name="Valider le paiement").click()
    bank.wait_for_url(f"{base_url}/mes-factures/")
    expect(bank.get_by_text("la facture 000001 est payée")).to_be_visible()
    expect(bank.locator(f"#facture-{invoice.number}")).to_contain_text("Payé")

    # Then the first tab shows it Payé too, without PAYER
    page.bring_to_front()
    expect(row).to_contain_text("79,20 € payé sur 79,20 €", timeout=15_000)
    expect(row.get_by_role("button", name=re.compile("Payer"))).to_have_count(0)

    # And a confirmation e-mail is sent
    run_jobs()
    [body] = smtp_capture.bodies()
    assert "facture n° 000001" in body and "79,20\u00a0€" in body
