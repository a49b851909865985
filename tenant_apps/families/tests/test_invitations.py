"""Inviting families: first-password invitations in bulk (a job with progress), one by one, after an import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tenant_apps.accounts.tests.factories import UserFactory
from tenant_apps.accounts.tests.links import link_token
from tenant_apps.catalog.models import Enrolment
from tenant_apps.catalog.tests.factories import ServiceFactory, enrol
from tenant_apps.families.models import Child, Guardian, InvitationBatch, SchoolPlacement
from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory, HouseholdFactory

INVITATIONS = "/ville-a/gestion/invitations/"


def household_without_password(name: str, email: str, *, school: str = "École des Pins"):
    household = HouseholdFactory(name=name)
    user = UserFactory(email=email, first_name="Léa", last_name=name)  # no password: not created yet
    guardian = GuardianFactory(household=household, user=user, first_name="Léa", last_name=name, email=email)
    child: Child = ChildFactory(household=household, first_name="Zoé")  # type: ignore[assignment]
    SchoolPlacement.objects.create(child=child, school_year="2026-2027", school=school, level="CP")
    return guardian, child


@pytest.fixture
def households(town, family):
    """ALAIN has a password; PINS (canteen, École des Pins) and PORT (École du Port) have not."""
    canteen = ServiceFactory(name="Restauration scolaire")
    pins, pins_child = household_without_password("PINS", "lea.pins@exemple.fr")
    port, _ = household_without_password("PORT", "lea.port@exemple.fr", school="École du Port")
    enrol(pins_child, canteen)
    return {"canteen": canteen, "pins": pins, "port": port}


def send(staff_client, capture, run_jobs, **data):
    with capture(execute=True):
        response = staff_client.post(INVITATIONS, data)
    assert response.status_code == 302, response.content.decode()
    run_jobs()
    return InvitationBatch.objects.order_by("-pk").first(), response["Location"]


def recipients(mailoutbox) -> list[str]:
    return sorted(address for mail in mailoutbox for address in mail.to)


def test_a_bulk_invitation_reaches_exactly_the_guardians_without_password_of_the_filter(
        households, staff_client, mailoutbox, run_jobs, django_capture_on_commit_callbacks):
    # When the staff invite the families enrolled in the canteen
    batch, progress_url = send(staff_client, django_capture_on_commit_callbacks, run_jobs, scope="service",
                               service=households["canteen"].pk)

    # Then only PINS gets the invitation, and the progress page says so
    assert recipients(mailoutbox) == ["lea.pins@exemple.fr"]
    [mail] = mailoutbox
    assert mail.subject == "Invitation au portail famille de la Mairie de Ville-A"
    assert "Vous êtes invité à utiliser le portail famille de la Mairie de Ville-A" in mail.body
    assert "valable 7 jours" in mail.body
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.sent) == ("done", 1, 1)
    assert "Invitations envoyées : 1 / 1" in staff_client.get(progress_url).content.decode()

    # When they invite everyone a moment later: PINS (invited an instant ago) is not invited twice
    mailoutbox.clear()
    batch, _ = send(staff_client, django_capture_on_commit_callbacks, run_jobs, scope="all")
    assert recipients(mailoutbox) == ["lea.port@exemple.fr"]
    assert (batch.total, batch.sent, batch.skipped_recent) == (1, 1, 1)

    # Unless asked to
    mailoutbox.clear()
    batch, _ = send(staff_client, django_capture_on_commit_callbacks, run_jobs, scope="all", include_recent="on")
    assert recipients(mailoutbox) == ["lea.pins@exemple.fr", "lea.port@exemple.fr"]
    assert (batch.total, batch.sent) == (2, 2)


def test_a_bulk_invitation_by_school(households, staff_client, mailoutbox, run_jobs,
                                     django_capture_on_commit_callbacks):
    page = staff_client.get(INVITATIONS).content.decode()
    assert "École du Port" in page and "2 responsables n'ont pas encore créé leur mot de passe" in page
    send(staff_client, django_capture_on_commit_callbacks, run_jobs, scope="school", school="École du Port")
    assert recipients(mailoutbox) == ["lea.port@exemple.fr"]


def test_a_filter_without_its_choice_is_refused(households, staff_client):
    response = staff_client.post(INVITATIONS, {"scope": "service"})
    assert response.status_code == 400 and "Choisissez la prestation." in response.content.decode()
    assert not InvitationBatch.objects.exists()


def test_the_guardians_list_shows_invitations_and_resends_one(
        households, staff_client, client, mailoutbox, run_jobs, django_capture_on_commit_callbacks):
    port = households["port"]
    listing = staff_client.get("/ville-a/gestion/familles/responsables/").content.decode()
    assert "pas encore invité" in listing and "mot de passe créé" in listing  # ALAIN has one

    # "Inviter" / "Renvoyer l'invitation" on PORT's row
    with django_capture_on_commit_callbacks(execute=True):
        sent = staff_client.post(f"/ville-a/gestion/familles/responsables/{port.pk}/inviter/",
                                 {"next": "/ville-a/gestion/familles/responsables/"}, follow=True)
    run_jobs()
    assert "Invitation renvoyée à lea.port@exemple.fr" in sent.content.decode()
    [mail] = mailoutbox
    listing = staff_client.get("/ville-a/gestion/familles/responsables/").content.decode()
    assert "invité le" in listing and "Renvoyer l'invitation" in listing

    # The parent creates the password from the e-mail: the row says so, and no resend is offered
    created = client.post(f"/ville-a/mot-de-passe/{link_token(mail)}/",
                          {"password1": "Cantine-4-Mairie", "password2": "Cantine-4-Mairie"})
    assert created.status_code == 302
    row = staff_client.get(f"/ville-a/gestion/familles/foyers/{port.household_id}/").content.decode()
    assert "mot de passe créé le" in row
    refused = staff_client.post(f"/ville-a/gestion/familles/responsables/{port.pk}/inviter/", follow=True)
    assert "a déjà créé son mot de passe" in refused.content.decode()


def test_the_api_starts_a_bulk_invitation_and_reports_its_progress(
        households, staff_client, parent_client, mailoutbox, run_jobs, django_capture_on_commit_callbacks):
    assert parent_client.get("/ville-a/api/v1/staff/invitations/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        started = staff_client.post("/ville-a/api/v1/staff/invitations/", {"scope": "all"},
                                    content_type="application/json")
    assert started.status_code == 202
    run_jobs()
    batch = staff_client.get(f"/ville-a/api/v1/staff/invitations/{started.json()['id']}/").json()
    assert (batch["status"], batch["total"], batch["sent"]) == ("done", 2, 2)
    unknown = staff_client.post("/ville-a/api/v1/staff/invitations/", {"scope": "service", "service_id": 999999},
                                content_type="application/json")
    assert unknown.status_code == 400


CSV = ("foyer;type;nom;prenom;date_naissance;email;prestation\n"
       "F001;responsable;MARTIN;Julie;;julie.martin@exemple.fr;\n"
       "F001;enfant;MARTIN;Léo;12/03/2019;;Restauration scolaire\n"
       "F002;responsable;DURAND;Yves;;yves.durand@exemple.fr;\n"
       "F002;enfant;DURAND;Inès;03/06/2018;;restauration scolaire | Garderie du soir\n")


def upload(staff_client, text: str):
    return staff_client.post("/ville-a/gestion/familles/import/",
                             {"file": SimpleUploadedFile("familles.csv", text.encode(), "text/csv")})


def test_the_import_enrols_children_and_offers_to_invite_the_guardians(
        town, staff_client, mailoutbox, run_jobs, django_capture_on_commit_callbacks):
    ServiceFactory(name="Restauration scolaire")
    ServiceFactory(name="Garderie du soir")

    done = upload(staff_client, CSV)
    page = done.content.decode()
    assert done.status_code == 200
    assert "Importés : 2 foyers, 2 responsables et 2 enfants. 3 inscriptions à une prestation." in page
    assert "Inviter les responsables importés" in page
    assert sorted(Enrolment.objects.values_list("child__first_name", "service__name")) == [
        ("Inès", "Garderie du soir"), ("Inès", "Restauration scolaire"), ("Léo", "Restauration scolaire")]

    with django_capture_on_commit_callbacks(execute=True):
        invited = staff_client.post("/ville-a/gestion/familles/import/inviter/")
    assert invited.status_code == 302
    run_jobs()
    assert recipients(mailoutbox) == ["julie.martin@exemple.fr", "yves.durand@exemple.fr"]


def test_an_unknown_service_in_the_import_is_a_line_error_and_nothing_is_imported(town, staff_client):
    ServiceFactory(name="Restauration scolaire")
    refused = upload(staff_client, CSV)
    assert refused.status_code == 400
    assert "Ligne 5 : prestation inconnue « Garderie du soir »" in refused.content.decode()
    assert not Guardian.objects.exists() and not Enrolment.objects.exists()
