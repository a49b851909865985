"""In Chromium: a parent asks for direct debit from MES FACTURES (IBAN and the signed mandate),
staff validate it from their list, and the next invoicing run's invoice reads "Prélèvement le …"
where PAYER was."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PARENT, STAFF, PASSWORD = "claire.alain@example.org", "regie@testville.example", "Tartine-2-Confiture"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def seed(town):
    from shared_apps.payments.services import payment_config_set
    from tenant_apps.accounts.models import User
    from tenant_apps.billing.tests.factories import TariffFactory
    from tenant_apps.bookings.tests.factories import book, school_days
    from tenant_apps.catalog.tests.factories import ServiceFactory
    from tenant_apps.core.clock import town_today
    from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory, HouseholdFactory

    from .helpers import creditor_settings

    payment_config_set(town=town, backend="dummy", enabled=True)
    with tenant_context(town):
        creditor_settings()
        User.objects.create_user(STAFF, password=PASSWORD, is_staff=True)
        household = HouseholdFactory(name="ALAIN")
        GuardianFactory(household=household, first_name="Claire", last_name="ALAIN", user__email=PARENT,
                        is_payer=True)  # the factory's password is PASSWORD
        theo = ChildFactory(household=household, first_name="Théo", last_name="ALAIN")
        canteen = ServiceFactory(name="Repas Enfant", weekdays=[0, 1, 3, 4])
        TariffFactory(service=canteen)
        end = town_today().replace(day=1) - timedelta(days=1)
        start = end.replace(day=1)
        book(theo, canteen, school_days(start, end))
    connection.set_schema_to_public()
    return start, end


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(lambda url: "/connexion/" not in url)


def test_a_parent_sets_up_direct_debit_staff_validate_and_the_next_invoice_is_debited(live_town, page, browser):
    from tenant_apps.billing.models import Invoice
    from tenant_apps.billing.services import invoice_run_execute, invoice_run_start
    from tenant_apps.core.clock import town_today

    from ..models import DirectDebitSettings
    from ..selectors import collection_date

    town, base_url = live_town
    start, end = seed(town)

    # Given Claire opens MES FACTURES and asks for direct debit
    sign_in(page, base_url, PARENT)
    page.goto(f"{base_url}/mes-factures/")
    page.get_by_role("link", name="Demander le prélèvement automatique").click()
    assert not serious_violations(page)
    page.get_by_label("IBAN").fill("FR76 3000 6000 0112 3456 7890 189")
    page.get_by_label("Je joins le mandat signé (PDF)").check()
    page.get_by_label("Mandat signé (PDF, 5 Mo au plus)").set_input_files(
        files=[{"name": "mandat.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_text("Votre demande de prélèvement automatique est envoyée")).to_be_visible()
    expect(page.locator(".mandate-status")).to_have_text("Demandé")
    expect(page.get_by_text("FR76 **** **** **** **** **** 189")).to_be_visible()

    # When a gestionnaire validates it from the requests list
    staff_page = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris").new_page()
    sign_in(staff_page, base_url, STAFF)
    staff_page.goto(f"{base_url}/gestion/prelevements/")
    assert not serious_violations(staff_page)
    staff_page.get_by_role("link", name="ALAIN").click()
    assert not serious_violations(staff_page)
    staff_page.get_by_role("button", name="Valider le mandat").click()
    expect(staff_page.get_by_text("validé : la famille est prévenue par e-mail")).to_be_visible()
    expect(staff_page.get_by_text("Aucune demande en attente.")).to_be_visible()

    # And the month is invoiced
    with tenant_context(town):
        run = invoice_run_start(period_start=start, period_end=end, with_pdfs=False)
        invoice_run_execute(run_id=run.pk)
        invoice = Invoice.objects.get(run=run)
        day = collection_date(DirectDebitSettings.current(), invoice, today=town_today())
    connection.set_schema_to_public()

    # Then Claire's new invoice reads "Prélèvement le …" instead of PAYER
    page.goto(f"{base_url}/mes-factures/")
    row = page.locator(f"#facture-{invoice.number}")
    expect(row).to_contain_text(f"Prélèvement le {day:%d/%m/%Y}")
    expect(row.get_by_role("button", name="Payer")).to_have_count(0)
    expect(page.get_by_text("Vos factures sont prélevées sur le compte FR76 **** **** **** **** **** 189.")).to_be_visible()
