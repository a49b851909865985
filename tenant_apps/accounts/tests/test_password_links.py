"""'Nouveau mot de passe': the e-mailed link, valid 24 hours, single use, voided by a newer
link and by a password change; no way to tell whether an address has an account."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_tenants.utils import tenant_context

from tenant_apps.accounts import services
from tenant_apps.accounts.models import AccessLink

from .factories import UserFactory
from .links import link_token

PARIS = ZoneInfo("Europe/Paris")
RESET = "/ville-a/nouveau-mot-de-passe/"
NEW_PASSWORD = "Nouveau-9-Portail"


@pytest.fixture
def ask_link(client, run_jobs, django_capture_on_commit_callbacks):
    """Ask for a new password from the page, as a parent would, and run the e-mail job."""

    def ask(email, town_slug="ville-a"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/{town_slug}/nouveau-mot-de-passe/", {"email": email})
        run_jobs()
        return response

    return ask


def create_password(client, token, password=NEW_PASSWORD, confirm=None):
    return client.post(f"/ville-a/mot-de-passe/{token}/",
                       {"password1": password, "password2": confirm or password})


def test_a_known_address_receives_a_french_email_with_a_create_password_button(ask_link, newcomer, mailoutbox):
    response = ask_link("Nouveau@Exemple.fr")

    assert response.status_code == 302
    assert response["Location"] == "/ville-a/nouveau-mot-de-passe/envoye/"
    [message] = mailoutbox
    assert message.to == ["nouveau@exemple.fr"]
    assert message.subject == "Mairie de Ville-A – création de votre mot de passe"
    assert "valable 24 heures" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Créer le mot de passe" in html
    token = link_token(message)
    assert f'href="http://testserver/ville-a/mot-de-passe/{token}/"' in html


def test_known_and_unknown_addresses_get_the_same_status_and_body(ask_link, client, newcomer, mailoutbox):
    known = ask_link("nouveau@exemple.fr")
    unknown = ask_link("inconnu@exemple.fr")

    # Then the answers cannot be told apart
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert known.content == unknown.content
    assert set(known.cookies) == set(unknown.cookies)
    # And the page they lead to is the same for everyone, promising nothing
    page = client.get(known["Location"])
    assert page.status_code == 200
    assert "Si cette adresse correspond à un compte du portail" in page.content.decode()
    # But only the account's owner got an e-mail
    assert [m.to for m in mailoutbox] == [["nouveau@exemple.fr"]]


def test_the_request_does_the_same_work_for_every_address(client, newcomer, django_capture_on_commit_callbacks):
    # The lookup happens in the background job: the page queues one job for any address,
    # so its response time does not depend on the address.
    from tenant_apps.accounts.tasks import send_password_link

    broker = send_password_link.broker
    queue = broker.queues[send_password_link.queue_name]
    for email in ("nouveau@exemple.fr", "inconnu@exemple.fr"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            client.post(RESET, {"email": email})
        assert len(callbacks) == 1
    assert queue.qsize() == 2
    broker.flush_all()


def test_inactive_accounts_and_other_towns_accounts_get_no_email(ask_link, town_a, town_b, mailoutbox):
    with tenant_context(town_a):
        UserFactory(email="parti@exemple.fr", is_active=False)
    with tenant_context(town_b):
        UserFactory(email="ailleurs@exemple.fr")
    ask_link("parti@exemple.fr")
    ask_link("ailleurs@exemple.fr")
    assert mailoutbox == []
    # The same address asked in its own town gets its e-mail
    ask_link("ailleurs@exemple.fr", town_slug="ville-b")
    assert "/ville-b/mot-de-passe/" in mailoutbox[0].body


def test_a_malformed_address_is_answered_with_a_french_message(client, town):
    response = client.post(RESET, {"email": "pas-une-adresse"})
    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in response.content.decode()


def test_the_link_creates_the_password_then_the_parent_signs_in(ask_link, client, newcomer, mailoutbox):
    ask_link("nouveau@exemple.fr")
    token = link_token(mailoutbox[0])

    assert client.get(f"/ville-a/mot-de-passe/{token}/").status_code == 200
    response = create_password(client, token)

    assert response.status_code == 302
    assert response["Location"] == "/ville-a/connexion/"
    login_page = client.get("/ville-a/connexion/").content.decode()
    assert "Votre mot de passe a été créé. Vous pouvez maintenant vous connecter." in login_page
    signed_in = client.post("/ville-a/connexion/", {"username": "nouveau@exemple.fr", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_the_link_works_until_24_hours_then_expires(ask_link, client, newcomer, mailoutbox, town):
    sent_at = datetime(2026, 3, 10, 18, 30, tzinfo=PARIS)
    with time_machine.travel(sent_at, tick=False):
        ask_link("nouveau@exemple.fr")
    token = link_token(mailoutbox[0])

    with time_machine.travel(sent_at + timedelta(hours=23, minutes=59), tick=False):
        assert client.get(f"/ville-a/mot-de-passe/{token}/").status_code == 200
    with time_machine.travel(sent_at + timedelta(hours=24), tick=False):
        page = client.get(f"/ville-a/mot-de-passe/{token}/")
        refused = create_password(client, token)

    assert page.status_code == 410
    body = page.content.decode()
    assert "Ce lien a expiré : il était valable 24 heures." in body
    assert 'href="/ville-a/nouveau-mot-de-passe/"' in body and "Recevoir un nouveau lien" in body
    assert refused.status_code == 410
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_a_used_link_is_refused(ask_link, client, newcomer, mailoutbox):
    ask_link("nouveau@exemple.fr")
    token = link_token(mailoutbox[0])
    assert create_password(client, token).status_code == 302

    again = create_password(client, token, password="Autre-7-Essai")
    assert again.status_code == 410
    assert "Ce lien a déjà servi ou a été remplacé par un lien plus récent." in again.content.decode()
    assert client.get(f"/ville-a/mot-de-passe/{token}/").status_code == 410
    # The password is still the one created with the link
    assert client.post("/ville-a/connexion/", {"username": "nouveau@exemple.fr",
                                              "password": NEW_PASSWORD}).status_code == 302


def test_a_newer_link_voids_the_older_one(ask_link, client, newcomer, mailoutbox):
    ask_link("nouveau@exemple.fr")
    ask_link("nouveau@exemple.fr")
    older, newer = link_token(mailoutbox[0]), link_token(mailoutbox[1])

    assert older != newer
    assert client.get(f"/ville-a/mot-de-passe/{older}/").status_code == 410
    assert create_password(client, older).status_code == 410
    assert create_password(client, newer).status_code == 302


def test_a_password_change_voids_an_outstanding_link(ask_link, client, parent, mailoutbox, town):
    ask_link("marie.alain@exemple.fr")
    token = link_token(mailoutbox[0])

    # When the parent changes their password some other way (e.g. by staff in the admin)
    parent.set_password("Change-3-Ailleurs")
    parent.save()

    # Then the link sent before is void
    assert client.get(f"/ville-a/mot-de-passe/{token}/").status_code == 410


def test_an_unknown_token_gets_the_same_clear_page(client, town):
    response = client.get("/ville-a/mot-de-passe/n-importe-quoi/")
    assert response.status_code == 410
    assert "Recevoir un nouveau lien" in response.content.decode()


def test_a_link_of_one_town_means_nothing_in_another(ask_link, client, newcomer, mailoutbox, town_b):
    ask_link("nouveau@exemple.fr")
    token = link_token(mailoutbox[0])
    assert client.get(f"/ville-b/mot-de-passe/{token}/").status_code == 410


def test_only_a_hash_of_the_token_is_stored(ask_link, newcomer, mailoutbox, town):
    ask_link("nouveau@exemple.fr")
    token = link_token(mailoutbox[0])
    link = AccessLink.objects.get(user=newcomer)
    assert link.token_hash == AccessLink.hash_token(token)
    assert token not in link.token_hash


def test_creating_the_password_revokes_api_tokens(ask_link, client, parent, mailoutbox, town):
    from rest_framework.authtoken.models import Token

    services.api_token_issue(user=parent)
    ask_link("marie.alain@exemple.fr")
    create_password(client, link_token(mailoutbox[0]))
    assert not Token.objects.filter(user=parent).exists()


def test_at_most_five_links_an_hour_reach_a_mailbox(ask_link, client, newcomer, mailoutbox):
    start = datetime(2026, 3, 10, 9, 0, tzinfo=PARIS)
    # Given someone asks six times in a few minutes
    for minute in range(6):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            response = ask_link("nouveau@exemple.fr")
            # The page answers the same every time
            assert response.status_code == 302
    # Then only five e-mails were sent, and the last one sent works
    assert len(mailoutbox) == 5
    # And an hour later the parent can ask again
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        ask_link("nouveau@exemple.fr")
        assert len(mailoutbox) == 6
        assert client.get(f"/ville-a/mot-de-passe/{link_token(mailoutbox[-1])}/").status_code == 200
