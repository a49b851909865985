"""Staff side: the Familles menu, the household detail, the town admin with inlines and logins."""

import pytest

from tenant_apps.core.menu import entries

from ..models import Guardian, Household

pytestmark = pytest.mark.django_db


def test_the_staff_menu_has_a_familles_entry(staff_client):
    assert any(e.label == "Familles" and e.url_name == "families_staff:households" for e in entries())
    assert 'href="/ville-a/gestion/familles/"' in staff_client.get("/ville-a/gestion/").content.decode()


def test_the_household_detail_shows_guardians_children_and_their_records(staff_client, family, records):
    body = staff_client.get(f"/ville-a/gestion/familles/foyers/{family.household.pk}/").content.decode()
    assert "ALAIN Marie" in body and "marie.alain@exemple.fr" in body
    assert "ALAIN Théo – 7 ans" in body and "Arachides" in body and "2026-2027 / École élémentaire" in body


def test_a_guardian_added_in_the_admin_gets_a_login_without_password(staff_client, town):
    # When the staff create a household with its guardian in the admin
    response = staff_client.post("/ville-a/gestion/admin/families/household/add/", {
        "name": "CAMUS", "address_line": "2 rue Neuve", "address_line2": "", "postcode": "22300", "city": "Lannion",
        "family_quotient": "", "family_quotient_valid_from": "", "family_quotient_valid_until": "", "external_ref": "",
        "guardians-TOTAL_FORMS": "1", "guardians-INITIAL_FORMS": "0",
        "guardians-0-civility": "mme", "guardians-0-last_name": "CAMUS", "guardians-0-first_name": "Léa",
        "guardians-0-email": "Lea.Camus@exemple.fr", "guardians-0-relationship": "mere",
        "guardians-0-mobile_phone": "0612345678", "guardians-0-home_phone": "", "guardians-0-work_phone": "",
        "guardians-0-birth_date": "", "guardians-0-marital_status": "", "guardians-0-profession": "",
        "guardians-0-employer": "",
        "children-TOTAL_FORMS": "0", "children-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    # Then the guardian exists with a login account that has no password yet
    lea = Guardian.objects.get(household__name="CAMUS")
    assert lea.email == "lea.camus@exemple.fr" and lea.mobile_phone == "06 12 34 56 78"
    assert lea.user.email == "lea.camus@exemple.fr" and not lea.user.has_usable_password()


def test_the_admin_refuses_an_email_used_by_another_account(staff_client, family):
    household = Household.objects.create(name="CAMUS")
    response = staff_client.post("/ville-a/gestion/admin/families/guardian/add/", {
        "household": household.pk, "civility": "", "last_name": "CAMUS", "first_name": "Léa",
        "email": "marie.alain@exemple.fr", "relationship": "", "mobile_phone": "", "home_phone": "",
        "work_phone": "", "birth_date": "", "marital_status": "", "profession": "", "employer": "",
    })
    assert response.status_code == 200
    assert "déjà utilisée" in response.content.decode()
    assert not Guardian.objects.filter(household=household).exists()


# Staff changing a guardian's login e-mail in the admin: see test_login_email.py.


def test_admin_pages_of_the_family_record_open(staff_client, family):
    for url in ("families/household/", f"families/household/{family.household.pk}/change/", "families/child/",
                f"families/child/{family.child.pk}/change/", "families/guardian/?q=marie", "families/fieldpolicy/"):
        assert staff_client.get(f"/ville-a/gestion/admin/{url}").status_code == 200, url


def test_the_admin_household_list_links_to_the_csv_import(staff_client):
    body = staff_client.get("/ville-a/gestion/admin/families/household/").content.decode()
    assert 'href="/ville-a/gestion/familles/import/"' in body
