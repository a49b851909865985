"""In Chromium: staff tick a whole page of a class with one checkbox, confirm the summary, read the
counts; the enrolment screens have no serious accessibility violation."""

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

pytestmark = pytest.mark.e2e

PASSWORD = "Tartine-2-Confiture"
YEAR = "2026-2027"


def seed(town):
    from tenant_apps.accounts.models import User
    from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
    from tenant_apps.families.tests.factories import ChildFactory

    with tenant_context(town):
        User.objects.create_user("gestion@testville.example", PASSWORD, is_staff=True)
        canteen = ServiceFactory(name="Repas Enfant")
        for n, school_class in enumerate(["CM1-A"] * 3 + ["CE2-B"]):
            child = ChildFactory(first_name=f"Élève{n}", last_name="DUPONT")
            child.placements.create(school_year=YEAR, school="École Jules Ferry", level="CM1",
                                    school_class=school_class)
            enrol(child, canteen, "2025-2026")
        ids = {"canteen": canteen.pk}
    connection.set_schema_to_public()
    return ids


def sign_in(page, base_url):
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Email").fill("gestion@testville.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_load_state()


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {[node['target'] for node in v['nodes']]}" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_staff_tick_a_class_confirm_and_read_the_counts(live_town, page):
    town, base_url = live_town
    seed(town)
    sign_in(page, base_url)
    # Given the enrolments page filtered on the CM1-A class
    page.goto(f"{base_url}/gestion/prestations/inscriptions/?annee={YEAR}")
    assert serious_violations(page) == []
    page.get_by_label("Classe").select_option("CM1-A")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("heading", name="3 enfants").wait_for()
    # When staff tick the whole page with one checkbox, choose the canteen and ask for the summary
    page.get_by_label("Cocher tous les enfants de cette page").check()
    assert page.locator('input[name="enfants"]:checked').count() == 3
    page.get_by_label("Repas Enfant").check()
    page.get_by_role("button", name="Inscrire les enfants cochés…").click()
    # Then the summary counts them, and confirming shows the counts
    page.get_by_role("heading", name=f"Confirmer les inscriptions {YEAR}").wait_for()
    assert page.get_by_role("row", name="Repas Enfant 3 0").is_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Confirmer les inscriptions").click()
    page.get_by_text("3 inscriptions créées pour 2026-2027.").wait_for()
    # And the renewal preview of last year counts the one left to renew
    page.get_by_role("link", name="Reconduire les inscriptions de 2025-2026 vers 2026-2027").click()
    assert page.get_by_role("row", name="Repas Enfant 1 3").is_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Confirmer : créer 1 inscription").click()
    page.get_by_text("1 inscription créée, 3 déjà existantes (inchangées) pour 2026-2027.").wait_for()
