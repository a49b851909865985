"""A parent keeps the family record up to date in headless Chromium: a phone number on MON PROFIL
and an allergy on a child's page, edited in place, confirmed, and still there after a reload."""

from datetime import date

import pytest
from django.db import transaction
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

EMAIL = "marie.alain@exemple.fr"
PASSWORD = "Tartine-2-Confiture"


@pytest.fixture
def alain_family(live_town):
    town, base_url = live_town
    from tenant_apps.families import services

    with tenant_context(town), transaction.atomic():
        household = services.household_create(name="ALAIN", address_line="1 rue des Écoles", postcode="22300",
                                              city="Lannion")
        guardian = services.guardian_create(household=household, first_name="Marie", last_name="ALAIN", email=EMAIL,
                                            relationship="mere", mobile_phone="06 12 34 56 78")
        guardian.user.set_password(PASSWORD)
        guardian.user.save()
        child = services.child_create(household=household, first_name="Théo", last_name="ALAIN",
                                      birth_date=date(2019, 3, 12), birth_city="Lannion")
    return base_url, guardian, child


WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def sign_in(page, base_url):
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{base_url}/")


def test_a_parent_edits_a_phone_number_and_adds_an_allergy(alain_family, page, phone_page):
    base_url, guardian, child = alain_family

    # Given Marie is signed in
    sign_in(page, base_url)

    # When she opens MON PROFIL, unfolds Coordonnées and clicks the pencil next to her mobile phone
    page.get_by_role("link", name="Mon profil").click()
    page.wait_for_url(f"{base_url}/mon-profil/")
    marie = page.get_by_role("region", name="ALAIN Marie")
    coordinates = marie.locator("details", has=page.get_by_role("heading", name="Coordonnées"))
    expect(coordinates).to_have_attribute("open", "")
    marie.get_by_role("link", name="Modifier Téléphone portable").click()

    # Then the field turns into a form in place; she types the new number and confirms with the check
    field = marie.get_by_label("Téléphone portable", exact=True)
    expect(field).to_be_focused()
    field.fill("0698765432")
    marie.get_by_role("button", name="Valider").click()
    expect(marie.get_by_role("status")).to_have_text("Vos informations ont été modifiées.")
    expect(marie).to_contain_text("06 98 76 54 32")
    assert page.url == f"{base_url}/mon-profil/"  # edited in place, no page change

    # And the number is still there after a reload
    page.reload()
    expect(page.locator(".guardian")).to_contain_text("06 98 76 54 32")
    assert_accessible(page)

    # When she opens her son's page from MES ENFANTS
    page.get_by_role("link", name="Mes enfants").click()
    page.get_by_role("link", name="ALAIN Théo").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ALAIN Théo 7 ans")
    expect(page.locator(".birth-reminder")).to_have_text("Né(e) le 12/03/2019 à Lannion")

    # and adds an allergy in "Mes informations médicales"
    page.get_by_text("Mes informations médicales").click()
    page.get_by_label("Allergie", exact=True).fill("Arachides")
    page.get_by_label("Précisions (facultatif)").fill("trousse d'urgence au restaurant scolaire")
    page.get_by_role("button", name="Ajouter l'allergie").click()

    # Then a confirmation appears and the allergy is listed, also after a reload
    medical = page.locator("#section-medical")
    expect(medical.get_by_role("status")).to_have_text("Vos informations ont été modifiées.")
    expect(medical).to_contain_text("Arachides – trousse d'urgence au restaurant scolaire")
    page.reload()
    page.get_by_text("Mes informations médicales").click()
    expect(page.locator("#section-medical")).to_contain_text("Arachides")
    assert_accessible(page)

    # On a phone, the profile shows the new number, the pencils are reachable, nothing overflows sideways
    sign_in(phone_page, base_url)
    phone_page.goto(f"{base_url}/mon-profil/")
    expect(phone_page.locator(".guardian")).to_contain_text("06 98 76 54 32")
    pencil = phone_page.get_by_role("link", name="Modifier Téléphone portable")
    expect(pencil).to_be_visible()
    box = pencil.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44  # touch target size
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_without_javascript_the_pencil_opens_an_edit_page_that_saves_and_comes_back(alain_family, browser):
    base_url, guardian, child = alain_family
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, base_url)
        page.goto(f"{base_url}/mon-profil/")
        # The pencil is a plain link to a page with the same small form
        page.get_by_role("link", name="Modifier Téléphone portable").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Modifier : Téléphone portable")
        page.get_by_label("Téléphone portable", exact=True).fill("12")
        page.get_by_role("button", name="Valider").click()
        expect(page.get_by_role("alert")).to_contain_text("Numéro de téléphone invalide")
        page.get_by_label("Téléphone portable", exact=True).fill("07 81 23 45 67")
        page.get_by_role("button", name="Valider").click()
        # Back on the profile, with the category open and the confirmation message
        expect(page.get_by_role("status")).to_contain_text("Vos informations ont été modifiées.")
        expect(page.locator(".guardian")).to_contain_text("07 81 23 45 67")
    finally:
        context.close()


def test_a_parent_uploads_a_certificate_in_place_and_a_fake_pdf_is_refused(alain_family, page, tmp_path):
    base_url, guardian, child = alain_family
    fake = tmp_path / "certificat.pdf"
    fake.write_text("Ceci n'est pas un PDF.\n" * 10)
    real = tmp_path / "vrai.pdf"
    from tenant_apps.families.demo import DEMO_PDF

    real.write_bytes(DEMO_PDF)
    sign_in(page, base_url)
    page.goto(f"{base_url}/mes-enfants/{child.pk}/")
    page.locator("#section-documents summary").click()
    documents = page.locator("#section-documents")

    # A text file named .pdf is refused with a French message, in place
    documents.get_by_label("Titre du document").fill("Certificat médical")
    documents.get_by_label("Fichier (PDF, JPEG ou PNG, 5 Mo maximum)").set_input_files(str(fake))
    documents.get_by_role("button", name="Déposer le document").click()
    expect(page.locator("#section-documents")).to_contain_text("Type de fichier non accepté")

    # A real PDF is accepted and listed, with a download link
    documents = page.locator("#section-documents")
    documents.get_by_label("Titre du document").fill("Certificat médical")
    documents.get_by_label("Fichier (PDF, JPEG ou PNG, 5 Mo maximum)").set_input_files(str(real))
    documents.get_by_role("button", name="Déposer le document").click()
    expect(page.locator("#section-documents").get_by_role("status")).to_have_text("Vos informations ont été modifiées.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Certificat médical").click()
    assert download.value.suggested_filename == "certificat-medical.pdf"
