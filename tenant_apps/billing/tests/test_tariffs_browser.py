"""In Chromium: a gestionnaire sets the "cantine à 1 €" QF tariff (adding a bracket row), reads
it in the price list, closes it; the tariff and rules pages have no serious axe violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import transaction
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenants.current import activate_public

pytestmark = pytest.mark.e2e

EMAIL, PASSWORD = "regie@testville.example", "Tartine-2-Confiture"


def seed(town) -> int:
    from tenant_apps.accounts.models import User
    from tenant_apps.catalog.models import Service

    with tenant_context(town), transaction.atomic():
        User.objects.create_user(EMAIL, password=PASSWORD, is_staff=True)
        service_id = Service.objects.create(name="Repas Enfant", kind=Service.Kind.CANTEEN, weekdays=[0, 1, 3, 4]).pk
    activate_public()
    return service_id


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_staff_set_a_qf_tariff_with_an_added_bracket_then_close_it(live_town, device, request):
    page = request.getfixturevalue(device)
    town, base_url = live_town
    seed(town)
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(lambda url: "/connexion/" not in url)

    # Given the billing home's "Tarifs" link
    page.goto(f"{base_url}/gestion/facturation/")
    page.get_by_role("link", name="Tarifs", exact=True).click()
    expect(page.get_by_role("heading", name="Tarifs", level=1)).to_be_visible()
    assert not serious_violations(page)
    page.get_by_role("link", name="Nouveau tarif pour « Repas Enfant »").click()

    # When the gestionnaire fills two brackets, adds a row, fills the open-ended top bracket
    page.get_by_label("Valable du").fill("2026-09-01")
    rows = page.locator("fieldset.bracket-row")
    for index, (qf_max, price) in enumerate([("450", "1,00"), ("900", "2,80")]):
        if index:
            rows.nth(index).get_by_label("QF de").fill("451")
        rows.nth(index).get_by_label("QF jusqu'à").fill(qf_max)
        rows.nth(index).get_by_label("Prix (€)").fill(price)
    rows.nth(2).get_by_label("QF de").fill("901")
    rows.nth(2).get_by_label("Prix (€)").fill("3,60")
    page.get_by_role("button", name="Ajouter une tranche").click()
    expect(page.locator("fieldset.bracket-row")).to_have_count(4)
    expect(page.locator("fieldset.bracket-row").nth(2).get_by_label("Prix (€)")).to_have_value("3,60")
    assert not serious_violations(page)
    page.get_by_role("button", name="Enregistrer le tarif").click()

    # Then the price list reads like the town's leaflet
    summary = "Repas Enfant — du 01/09/2026 au … — QF 0–450 : 1,00 € ; 451–900 : 2,80 € ; > 900 : 3,60 €"
    expect(page.get_by_text(summary)).to_be_visible()

    # When they close it at the end of the school year
    page.get_by_role("link", name="Clôturer le tarif Repas Enfant du 01/09/2026 au …").click()
    expect(page.get_by_label("Dernier jour de validité")).to_be_visible()
    assert not serious_violations(page)
    page.get_by_label("Dernier jour de validité").fill("2027-07-06")
    page.get_by_role("button", name="Clôturer le tarif").click()
    expect(page.get_by_text("Repas Enfant — du 01/09/2026 au 06/07/2027 — QF 0–450")).to_be_visible()

    # And the billing rules page is accessible too
    page.goto(f"{base_url}/gestion/facturation/regles/")
    expect(page.get_by_role("heading", name="Règles de facturation")).to_be_visible()
    assert not serious_violations(page)
