"""`account_for_guardian`: the login of a guardian, created by the family record and imports."""

import pytest
from django_tenants.utils import tenant_context

from tenant_apps.accounts import errors, services
from tenant_apps.accounts.models import User


def test_a_new_guardian_gets_an_active_account_without_a_usable_password(town):
    user = services.account_for_guardian(email=" Alain.Dupont@Exemple.FR ", first_name="Alain", last_name="Dupont")

    assert user.pk and user.is_active and not user.is_staff
    assert user.email == "alain.dupont@exemple.fr"
    assert (user.first_name, user.last_name) == ("Alain", "Dupont")
    assert not user.has_usable_password()


def test_the_same_address_twice_gives_the_same_account(town):
    first = services.account_for_guardian(email="alain@exemple.fr", first_name="Alain", last_name="Dupont")
    again = services.account_for_guardian(email="ALAIN@exemple.fr", first_name="Autre", last_name="Nom")

    assert again.pk == first.pk
    assert User.objects.filter(email__iexact="alain@exemple.fr").count() == 1
    assert (again.first_name, again.last_name) == ("Alain", "Dupont")  # names already known are kept


def test_an_existing_account_without_names_gets_them(town):
    User.objects.create_user("sans.nom@exemple.fr")
    user = services.account_for_guardian(email="sans.nom@exemple.fr", first_name="Lina", last_name="Roux")
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Lina", "Roux")


def test_an_existing_password_is_kept(town):
    User.objects.create_user("parent@exemple.fr", password="Tartine-2-Confiture")
    user = services.account_for_guardian(email="parent@exemple.fr", first_name="P", last_name="Q")
    assert user.check_password("Tartine-2-Confiture")


def test_a_staff_address_is_refused(town):
    User.objects.create_user("agent@mairie.fr", is_staff=True)
    with pytest.raises(errors.EmailTaken) as error:
        services.account_for_guardian(email="agent@mairie.fr", first_name="A", last_name="B")
    assert error.value.code == "email_taken"
    assert "gestionnaire" in error.value.message


@pytest.mark.parametrize("email", ["", "pas-une-adresse", "a@b"])
def test_a_malformed_address_is_refused(town, email):
    with pytest.raises(errors.EmailInvalid):
        services.account_for_guardian(email=email, first_name="A", last_name="B")


def test_the_same_address_in_another_town_is_another_account(town_a, town_b):
    with tenant_context(town_a):
        in_a = services.account_for_guardian(email="alain@exemple.fr", first_name="Alain", last_name="D")
    with tenant_context(town_b):
        in_b = services.account_for_guardian(email="alain@exemple.fr", first_name="Alain", last_name="D")
        assert User.objects.count() == 1
    with tenant_context(town_a):
        assert User.objects.count() == 1
    assert in_b.email == in_a.email


def test_a_new_guardian_can_ask_for_a_password_link(town, client, mailoutbox, run_jobs,
                                                   django_capture_on_commit_callbacks):
    services.account_for_guardian(email="alain@exemple.fr", first_name="Alain", last_name="Dupont")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ville-a/nouveau-mot-de-passe/", {"email": "alain@exemple.fr"})
    run_jobs()
    assert [m.to for m in mailoutbox] == [["alain@exemple.fr"]]
