"""Where an account lands after signing in, and which navigation it gets.

A gestionnaire with no family of their own works in /gestion/; a gestionnaire who is also a
parent keeps the parents' portal (with a "Gestion" link); parents never see staff links.
"""

import pytest

from tenant_apps.families.models import Guardian
from tests.support.fixtures import family_create, staff_create

PASSWORD = "Tartine-2-Confiture"


def sign_in(client, email, next_url=None):
    data = {"username": email, "password": PASSWORD}
    path = "/ville-a/connexion/" if next_url is None else f"/ville-a/connexion/?next={next_url}"
    return client.post(path, data, REMOTE_ADDR="10.0.0.7")


@pytest.fixture
def agent(town):
    return staff_create("agent@mairie.example")


def test_a_gestionnaire_signing_in_lands_on_the_staff_dashboard(client, agent):
    # When a gestionnaire without a family signs in at /connexion/
    response = sign_in(client, "agent@mairie.example")

    # Then they land on the staff dashboard, not on the parents' home
    assert response.status_code == 302
    assert response["Location"] == "/ville-a/gestion/"
    assert "Tableau de bord" in client.get("/ville-a/gestion/").content.decode()


def test_a_safe_next_page_wins_over_the_dashboard_but_not_a_foreign_one(client, agent):
    kept = sign_in(client, "agent@mairie.example", next_url="/ville-a/gestion/facturation/")
    assert kept["Location"] == "/ville-a/gestion/facturation/"

    client.logout()
    foreign = sign_in(client, "agent@mairie.example", next_url="https://pirate.example/")
    assert foreign["Location"] == "/ville-a/gestion/"


def test_a_signed_in_gestionnaire_opening_the_login_page_goes_to_the_dashboard(client, agent):
    client.force_login(agent)
    response = client.get("/ville-a/connexion/")
    assert response.status_code == 302 and response["Location"] == "/ville-a/gestion/"


def test_the_parents_home_sends_a_gestionnaire_to_the_dashboard(client, agent):
    client.force_login(agent)
    response = client.get("/ville-a/")
    assert response.status_code == 302 and response["Location"] == "/ville-a/gestion/"


def test_a_gestionnaire_who_is_also_a_parent_keeps_the_parents_portal(client, town):
    # Given a parent of the town who also works for the town
    household = family_create("ALAIN", children=("Théo",), email="marie.alain@example.org")
    user, household = household.user, household.household
    user.is_staff = True
    user.save()

    # When they sign in, they land on the parents' home with its navigation and a Gestion link
    response = sign_in(client, "marie.alain@example.org")
    assert response["Location"] == "/ville-a/"
    page = client.get("/ville-a/").content.decode()
    assert "Réservations de la journée" in page
    assert ">Mes enfants</a>" in page and ">Gestion</a>" in page
    # and the staff navigation offers the way back to their family's pages
    assert ">Mon espace famille</a>" in client.get("/ville-a/gestion/").content.decode()


def test_a_parent_lands_on_the_home_page_without_any_staff_link(client, family):
    user = family.user
    response = sign_in(client, user.email)
    assert response["Location"] == "/ville-a/"
    page = client.get("/ville-a/").content.decode()
    assert ">Mes enfants</a>" in page and ">Mon profil</a>" in page
    assert ">Gestion</a>" not in page


def test_a_gestionnaire_on_a_parents_page_gets_no_parents_navigation_only_gestion(client, agent):
    # Given a gestionnaire without a family opens a parents' page (it is not theirs: 404)
    client.force_login(agent)
    response = client.get("/ville-a/mes-enfants/")
    page = response.content.decode()

    # Then the page offers no parents' links that would all fail, but the way to /gestion/
    assert response.status_code == 404
    for label in ("Mon profil", "Mes enfants", "Mes factures", "Mes documents", "Réservations"):
        assert f">{label}</a>" not in page
    assert 'href="/ville-a/gestion/">Gestion</a>' in page
    assert "Déconnexion" in page


def test_a_gestionnaire_whose_guardian_record_is_removed_lands_on_the_dashboard_again(client, town):
    household = family_create("BERNARD", children=("Léa",), email="paul.bernard@example.org")
    user, household = household.user, household.household
    user.is_staff = True
    user.save()
    assert sign_in(client, "paul.bernard@example.org")["Location"] == "/ville-a/"

    Guardian.objects.filter(user=user).update(user=None)
    client.logout()
    assert sign_in(client, "paul.bernard@example.org")["Location"] == "/ville-a/gestion/"
