"""A guardian's e-mail is their login (issue 10, item 5): only its owner (or staff) changes it,
only once the new address confirms through a single-use link, and the old address is told.
The other guardian's e-mail is read-only on the parent's pages and in the API."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tenant_apps.accounts.models import EmailChangeRequest, User
from tenant_apps.accounts.tests.factories import PASSWORD
from tests.support.fixtures import TownClient

from ..models import FieldChange, Guardian
from .factories import GuardianFactory

pytestmark = pytest.mark.django_db

API = "/ville-a/api/v1"
CONFIRM_LINK = re.compile(r"https?://\S+?(/ville-a/adresse-email/[\w-]+/)")


def edit_url(key, pk):
    return f"/ville-a/mon-profil/modifier/{key}/{pk}/"


@pytest.fixture
def father(family):
    """The other guardian of the household, with a login of his own."""
    return GuardianFactory(household=family.household, first_name="Pierre", user__email="pierre@exemple.fr")


@pytest.fixture
def deliver(run_jobs, mailoutbox):
    """Run the queued e-mail jobs as the worker would, then step back into the town; the new mails."""

    def run():
        already = len(mailoutbox)
        run_jobs()
        return mailoutbox[already:]

    return run


def confirm_path(message) -> str:
    found = CONFIRM_LINK.search(message.body)
    assert found, f"no confirmation link in {message.body!r}"
    return found.group(1)


def signs_in(town, email: str) -> bool:
    client = TownClient()
    response = client.post("/ville-a/connexion/", {"username": email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    return response.status_code == 302


# --- The other guardian's e-mail ----------------------------------------------------------------


def test_a_parent_cannot_change_the_other_guardians_email_on_the_page(
        parent_client, family, father, town, deliver, django_capture_on_commit_callbacks):
    # Given the profile shows the father's e-mail without a pencil, as his login
    body = parent_client.get("/ville-a/mon-profil/").content.decode()
    father_section = body.split(f'id="titre-responsable-{father.pk}"')[1]
    assert "pierre@exemple.fr" in father_section
    assert f'href="{edit_url("guardian.email", father.pk)}"' not in body
    assert "identifiant de connexion : modifiable par cette personne ou par la mairie" in father_section
    assert parent_client.get(edit_url("guardian.email", father.pk)).status_code == 403

    # When the mother posts a new address for him anyway
    with django_capture_on_commit_callbacks(execute=True):
        response = parent_client.post(edit_url("guardian.email", father.pk), {"value": "moi@exemple.fr"})

    # Then it is refused, his login and record are untouched, and nothing is sent
    assert response.status_code == 403
    assert "Seule cette personne, ou les services de la mairie, peut modifier" in response.content.decode()
    father.refresh_from_db()
    father.user.refresh_from_db()
    assert father.email == father.user.email == "pierre@exemple.fr"
    assert not EmailChangeRequest.objects.exists()
    assert deliver() == []
    # And "Nouveau mot de passe" for the address she typed opens no account
    with django_capture_on_commit_callbacks(execute=True):
        parent_client.post("/ville-a/nouveau-mot-de-passe/", {"email": "moi@exemple.fr"})
    assert deliver() == []


def test_the_api_refuses_a_change_of_the_other_guardians_email_with_the_error_shape(parent_client, father):
    response = parent_client.patch(f"{API}/guardians/{father.pk}/", {"email": "moi@exemple.fr"},
                                   content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {
        "code": "field_read_only",
        "detail": "Seule cette personne, ou les services de la mairie, peut modifier l'adresse e-mail de "
                  "ALAIN Pierre : c'est son identifiant de connexion.",
    }
    father.user.refresh_from_db()
    assert father.user.email == "pierre@exemple.fr"
    # Sending his e-mail unchanged, with another field, is fine
    ok = parent_client.patch(f"{API}/guardians/{father.pk}/", {"email": "Pierre@exemple.fr", "work_phone": "0296486819"},
                             content_type="application/json")
    assert ok.status_code == 200 and ok.json()["work_phone"] == "02 96 48 68 19"


def test_a_parent_cannot_give_an_email_to_a_guardian_without_login_either(parent_client, family):
    # It would open a login in his name with an address she chose
    father = GuardianFactory(household=family.household, first_name="Pierre", user=None, email="")
    response = parent_client.post(edit_url("guardian.email", father.pk), {"value": "pierre@exemple.fr"})
    assert response.status_code == 403
    father.refresh_from_db()
    assert father.user is None and father.email == ""
    assert not User.objects.filter(email="pierre@exemple.fr").exists()


# --- One's own e-mail -------------------------------------------------------------------------------


def test_a_parent_changes_their_login_email_once_the_new_address_confirms(
        parent_client, family, town, deliver, django_capture_on_commit_callbacks):
    marie = family.guardian
    # When the parent gives a new e-mail on MON PROFIL
    with django_capture_on_commit_callbacks(execute=True):
        response = parent_client.post(edit_url("guardian.email", marie.pk), {"value": "Marie.Neuve@Exemple.fr"})
    assert response.status_code == 302
    page = parent_client.get(response["Location"]).content.decode()
    assert "Un e-mail de confirmation a été envoyé à marie.neuve@exemple.fr." in page
    assert "Nouvelle adresse en attente de confirmation&nbsp;: marie.neuve@exemple.fr" in page

    # Then nothing has changed yet: record, login, audit
    marie.refresh_from_db()
    marie.user.refresh_from_db()
    assert marie.email == marie.user.email == "marie.alain@exemple.fr"
    assert not FieldChange.objects.exists()

    # And the new address receives a French e-mail with a single-use link
    [mail] = deliver()
    assert mail.to == ["marie.neuve@exemple.fr"]
    assert mail.subject == "Mairie de Ville-A – confirmez votre nouvelle adresse e-mail"
    assert "valable 24 heures" in mail.body and "Vous avez demandé" in mail.body
    path = confirm_path(mail)

    # When it is opened (a mail scanner would stop here: the page only offers a button)
    anonymous = TownClient()
    opened = anonymous.get(path)
    assert opened.status_code == 200 and "Confirmer cette adresse" in opened.content.decode()
    marie.user.refresh_from_db()
    assert marie.user.email == "marie.alain@exemple.fr"

    # And confirmed
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = anonymous.post(path)
    assert confirmed.status_code == 302 and confirmed["Location"] == "/ville-a/connexion/"

    # Then the login and the record take the new address, and the audit trail says who asked
    marie.refresh_from_db()
    marie.user.refresh_from_db()
    assert marie.email == marie.user.email == "marie.neuve@exemple.fr"
    change = FieldChange.objects.get(field_key="guardian.email")
    assert (change.old_value, change.new_value) == ("marie.alain@exemple.fr", "marie.neuve@exemple.fr")
    assert change.changed_by == marie.user
    assert signs_in(town, "marie.neuve@exemple.fr") and not signs_in(town, "marie.alain@exemple.fr")

    # And the old address is told, without the whole new one
    [notice] = deliver()
    assert notice.to == ["marie.alain@exemple.fr"]
    assert notice.subject == "Mairie de Ville-A – l'adresse e-mail de votre compte a changé"
    assert "ma•••@exemple.fr" in notice.body and "marie.neuve@exemple.fr" not in notice.body
    assert "contactez sans attendre la mairie" in notice.body

    # And the link served once
    again = anonymous.post(path)
    assert again.status_code == 410 and "Ce lien n'est plus valable" in again.content.decode()


def test_the_api_changes_ones_own_email_after_confirmation_too(
        parent_client, family, town, deliver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = parent_client.patch(f"{API}/guardians/{family.guardian.pk}/", {"email": "marie@nouvelle.fr"},
                                       content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["email"], response.json()["pending_email"]) == ("marie.alain@exemple.fr",
                                                                            "marie@nouvelle.fr")
    [mail] = deliver()
    TownClient().post(confirm_path(mail))
    after = parent_client.get(f"{API}/guardians/{family.guardian.pk}/").json()
    assert (after["email"], after["pending_email"]) == ("marie@nouvelle.fr", "")


def test_an_unconfirmed_link_expires_after_24_hours_and_changes_nothing(
        parent_client, family, town, deliver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        parent_client.post(edit_url("guardian.email", family.guardian.pk), {"value": "marie@nouvelle.fr"})
    [mail] = deliver()
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1), tick=False):
        response = TownClient().post(confirm_path(mail))
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.content.decode()
    family.guardian.user.refresh_from_db()
    assert family.guardian.user.email == "marie.alain@exemple.fr"


def test_a_newer_request_voids_the_older_link(parent_client, family, town, deliver,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        parent_client.post(edit_url("guardian.email", family.guardian.pk), {"value": "marie@erreur.fr"})
    [first] = deliver()
    with django_capture_on_commit_callbacks(execute=True):
        parent_client.post(edit_url("guardian.email", family.guardian.pk), {"value": "marie@nouvelle.fr"})
    [second] = deliver()
    assert TownClient().post(confirm_path(first)).status_code == 410
    assert TownClient().post(confirm_path(second)).status_code == 302
    family.guardian.user.refresh_from_db()
    assert family.guardian.user.email == "marie@nouvelle.fr"


def test_an_address_taken_before_the_confirmation_is_refused_and_nothing_changes(
        parent_client, family, town, deliver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        parent_client.post(edit_url("guardian.email", family.guardian.pk), {"value": "marie@nouvelle.fr"})
    [mail] = deliver()
    # Given staff give that address to another family's guardian meanwhile (no login yet)
    GuardianFactory(first_name="Léa", user=None, email="marie@nouvelle.fr")
    response = TownClient().post(confirm_path(mail))
    assert response.status_code == 400
    assert "Un compte utilise déjà cette adresse e-mail." in response.content.decode()
    family.guardian.refresh_from_db()
    family.guardian.user.refresh_from_db()
    assert family.guardian.email == family.guardian.user.email == "marie.alain@exemple.fr"


# --- Staff ---------------------------------------------------------------------------------------------


def test_staff_change_a_guardians_login_in_the_admin_once_confirmed_and_audited(
        staff_client, family, town, deliver, django_capture_on_commit_callbacks):
    g = family.guardian
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/ville-a/gestion/admin/families/guardian/{g.pk}/change/", {
            "household": g.household_id, "civility": "mme", "last_name": "ALAIN", "first_name": "Marie",
            "email": "marie@nouvelle.fr", "relationship": "mere", "mobile_phone": "06 12 34 56 78",
            "home_phone": "", "work_phone": "", "birth_date": "", "marital_status": "", "profession": "",
            "employer": "",
        }, follow=True)
    assert "un lien de confirmation a été envoyé à marie@nouvelle.fr" in response.content.decode()
    g.refresh_from_db()
    g.user.refresh_from_db()
    assert g.email == g.user.email == "marie.alain@exemple.fr"

    [mail] = deliver()
    assert mail.to == ["marie@nouvelle.fr"] and "Les services de la Mairie de Ville-A ont demandé" in mail.body
    with django_capture_on_commit_callbacks(execute=True):
        TownClient().post(confirm_path(mail))

    g.refresh_from_db()
    g.user.refresh_from_db()
    assert g.email == g.user.email == "marie@nouvelle.fr"
    change = FieldChange.objects.get(field_key="guardian.email")
    assert change.changed_by.email == "agent@mairie.fr"
    assert EmailChangeRequest.objects.get().requested_by.email == "agent@mairie.fr"
    [notice] = deliver()
    assert notice.to == ["marie.alain@exemple.fr"] and "à la demande des services de la mairie" in notice.body


def test_the_household_inline_asks_for_confirmation_too(staff_client, family, deliver,
                                                        django_capture_on_commit_callbacks):
    g = family.guardian
    household = family.household
    data = {
        "name": household.name, "address_line": household.address_line, "address_line2": "", "postcode": "22300",
        "city": "Lannion", "family_quotient": "850", "family_quotient_valid_from": "",
        "family_quotient_valid_until": "", "external_ref": "",
        "guardians-TOTAL_FORMS": "1", "guardians-INITIAL_FORMS": "1", "guardians-0-id": g.pk,
        "guardians-0-household": household.pk, "guardians-0-civility": "mme", "guardians-0-last_name": "ALAIN",
        "guardians-0-first_name": "Marie", "guardians-0-email": "marie@nouvelle.fr",
        "guardians-0-relationship": "mere", "guardians-0-mobile_phone": "06 12 34 56 78",
        "guardians-0-home_phone": "", "guardians-0-work_phone": "", "guardians-0-birth_date": "",
        "guardians-0-marital_status": "", "guardians-0-profession": "", "guardians-0-employer": "",
        "children-TOTAL_FORMS": "1", "children-INITIAL_FORMS": "1", "children-0-id": family.child.pk,
        "children-0-household": household.pk, "children-0-last_name": "ALAIN", "children-0-first_name": "Théo",
        "children-0-sex": "", "children-0-birth_date": "2019-03-12", "children-0-birth_city": "Lannion",
        "children-0-diet": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/ville-a/gestion/admin/families/household/{household.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    g.refresh_from_db()
    g.user.refresh_from_db()
    assert g.email == g.user.email == "marie.alain@exemple.fr"
    assert [m.to for m in deliver()] == [["marie@nouvelle.fr"]]


def test_the_accounts_admin_no_longer_edits_a_login_directly(staff_client, family, deliver,
                                                             django_capture_on_commit_callbacks):
    user = family.guardian.user
    form = staff_client.get(f"/ville-a/gestion/admin/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="email"' not in form and 'name="new_email"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/ville-a/gestion/admin/accounts/user/{user.pk}/change/", {
            "email": "pirate@exemple.fr", "new_email": "marie@nouvelle.fr", "first_name": "Marie",
            "last_name": "ALAIN", "is_active": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "marie.alain@exemple.fr"
    assert [m.to for m in deliver()] == [["marie@nouvelle.fr"]]


def test_only_the_owner_or_staff_may_ask_for_a_login_change(family, father):
    from tenant_apps.accounts.email_change import EmailChangeForbidden, email_change_request

    with pytest.raises(EmailChangeForbidden):
        email_change_request(user=father.user, new_email="moi@exemple.fr", requested_by=family.guardian.user)
    with pytest.raises(EmailChangeForbidden):
        email_change_request(user=father.user, new_email="moi@exemple.fr", requested_by=None)
    assert not EmailChangeRequest.objects.exists()
    assert Guardian.objects.get(pk=father.pk).email == "pierre@exemple.fr"


def test_confirmation_emails_cannot_flood_a_mailbox(parent_client, family):
    for n in range(5):
        assert parent_client.post(edit_url("guardian.email", family.guardian.pk),
                                  {"value": f"victime+{n}@exemple.fr"}).status_code == 302
    refused = parent_client.post(edit_url("guardian.email", family.guardian.pk), {"value": "victime@exemple.fr"})
    assert refused.status_code == 429
    assert "réessayez dans une heure" in refused.content.decode()
