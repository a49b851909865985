"""Signing in and out: one message for every failure, throttling, inactivity, security headers."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.support.fixtures import TownClient

from .factories import PASSWORD

PARIS = ZoneInfo("Europe/Paris")
LOGIN = "/ville-a/connexion/"
FAILED = "Adresse e-mail ou mot de passe incorrect."


def sign_in(client, email, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_a_parent_signs_in_with_email_and_password_and_lands_on_the_home_page(client, parent):
    response = sign_in(client, "Marie.Alain@Exemple.fr", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/ville-a/"
    assert client.get("/ville-a/").status_code == 200


def test_the_login_page_has_the_new_password_link(client, town):
    body = client.get(LOGIN).content.decode()
    assert 'href="/ville-a/nouveau-mot-de-passe/"' in body
    assert "Nouveau mot de passe" in body
    assert 'autocomplete="current-password"' in body


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, parent):
    wrong_password = sign_in(client, "marie.alain@exemple.fr", "Mauvais-1-mot")
    unknown_email = sign_in(client, "personne@exemple.fr", "Mauvais-1-mot")

    assert wrong_password.status_code == unknown_email.status_code == 200
    for response in (wrong_password, unknown_email):
        assert FAILED in response.content.decode()
    mask = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+|value="[^"]*@exemple.fr"')
    assert mask.sub("", wrong_password.content.decode()) == mask.sub("", unknown_email.content.decode())


def test_a_deactivated_account_gets_the_same_message_as_a_wrong_password(client, parent, town):

    parent.is_active = False
    parent.save()
    response = sign_in(client, "marie.alain@exemple.fr", PASSWORD)
    assert response.status_code == 200
    assert FAILED in response.content.decode()


def test_five_failures_lock_the_account_from_that_address_with_a_french_message_saying_when_to_retry(
        client, parent):
    # Given it is 09:00 in the town
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        # When someone fails four times, they are told the password is wrong
        for _ in range(4):
            response = sign_in(client, "marie.alain@exemple.fr", "Mauvais-1-mot")
            assert response.status_code == 200
        # Then the fifth failure locks this address
        response = sign_in(client, "marie.alain@exemple.fr", "Mauvais-1-mot")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Connexion temporairement bloquée" in body
    assert "bloquée pendant 15 minutes : réessayez à partir de 09:15" in body
    assert response["Retry-After"] == "900"

    # And the right password from that address is refused during the lock
    with time_machine.travel(datetime(2026, 3, 10, 9, 5, tzinfo=PARIS), tick=False):
        response = sign_in(client, "marie.alain@exemple.fr", PASSWORD)
    assert response.status_code == 429
    assert "bloquée pendant 10 minutes : réessayez à partir de 09:15" in response.content.decode()
    assert response["Retry-After"] == "600"

    # But once the cool-off has passed, the parent signs in from there
    with time_machine.travel(datetime(2026, 3, 10, 9, 15, 1, tzinfo=PARIS), tick=False):
        response = sign_in(client, "marie.alain@exemple.fr", PASSWORD)
    assert response.status_code == 302


def test_someone_elses_failures_never_keep_the_owner_out_from_another_address(client, parent):
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        # Given someone fails with the parent's e-mail until their address is locked
        for _ in range(5):
            response = sign_in(TownClient(), "marie.alain@exemple.fr", "Mauvais-1-mot", ip="10.6.6.6")
        assert response.status_code == 429

        # When the parent signs in from home
        response = sign_in(client, "marie.alain@exemple.fr", PASSWORD, ip="10.1.1.1")

        # Then they are in
        assert response.status_code == 302
        assert client.get("/ville-a/").status_code == 200


def test_failures_for_one_account_spread_over_many_addresses_lock_no_one_out(client, parent):
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        # Given four failures for the parent's e-mail from each of five addresses (twenty in all)
        for n in range(5):
            for _ in range(4):
                response = sign_in(TownClient(), "Marie.Alain@Exemple.fr", "Mauvais-1-mot", ip=f"10.0.1.{n}")
                assert response.status_code == 200
        # Then the parent signs in from a sixth address
        assert sign_in(client, "marie.alain@exemple.fr", PASSWORD, ip="10.0.2.1").status_code == 302


def test_tries_refused_during_a_lock_do_not_extend_it(client, parent):
    # Given an address locked at 09:00 after five failures
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        for _ in range(5):
            sign_in(client, "marie.alain@exemple.fr", "Mauvais-1-mot", ip="10.6.6.6")
    # When it keeps trying during the lock
    for minute in (3, 9, 14):
        with time_machine.travel(datetime(2026, 3, 10, 9, minute, tzinfo=PARIS), tick=False):
            response = sign_in(client, "marie.alain@exemple.fr", "Mauvais-1-mot", ip="10.6.6.6")
        # Then each refusal names the same end of the lock
        assert response.status_code == 429
        assert "réessayez à partir de 09:15" in response.content.decode()
    # And the lock ends at 09:15 all the same
    with time_machine.travel(datetime(2026, 3, 10, 9, 15, 30, tzinfo=PARIS), tick=False):
        assert sign_in(TownClient(), "marie.alain@exemple.fr", PASSWORD, ip="10.6.6.6").status_code == 302


def test_the_address_is_free_again_when_its_oldest_failures_expire(client, parent):
    # Given three failures at 09:00 and two more at 09:05 from one address
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        for _ in range(3):
            sign_in(client, "essai@exemple.fr", "Mauvais-1-mot", ip="10.6.6.6")
    with time_machine.travel(datetime(2026, 3, 10, 9, 5, tzinfo=PARIS), tick=False):
        sign_in(client, "autre@exemple.fr", "Mauvais-1-mot", ip="10.6.6.6")
        response = sign_in(client, "autre@exemple.fr", "Mauvais-1-mot", ip="10.6.6.6")
    # Then the lock lasts until the 09:00 failures stop counting, and says so
    assert response.status_code == 429
    assert "bloquée pendant 10 minutes : réessayez à partir de 09:15" in response.content.decode()
    with time_machine.travel(datetime(2026, 3, 10, 9, 15, 30, tzinfo=PARIS), tick=False):
        assert sign_in(client, "marie.alain@exemple.fr", PASSWORD, ip="10.6.6.6").status_code == 302


def test_signing_in_to_ones_own_account_does_not_wipe_the_addresss_failures(client, parent, town):

    from .factories import UserFactory

    UserFactory(email="intrus@exemple.fr", password=PASSWORD)
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        # Given someone with an account of their own guesses a parent's password four times
        for _ in range(4):
            assert sign_in(TownClient(), "marie.alain@exemple.fr", "Mauvais-1-mot", ip="10.6.6.6").status_code == 200
        # When they sign in to their own account in between
        assert sign_in(TownClient(), "intrus@exemple.fr", PASSWORD, ip="10.6.6.6").status_code == 302
        # Then their next guess still locks the address
        assert sign_in(TownClient(), "marie.alain@exemple.fr", "Mauvais-2-mot", ip="10.6.6.6").status_code == 429


def test_five_failures_from_one_address_lock_that_address_for_every_account(client, parent):
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        # Given an address tries five different accounts
        for n in range(5):
            response = sign_in(client, f"essai{n}@exemple.fr", "Mauvais-1-mot", ip="10.6.6.6")
        assert response.status_code == 429

        # Then even a right password is refused from that address
        response = sign_in(TownClient(), "marie.alain@exemple.fr", PASSWORD, ip="10.6.6.6")
        assert response.status_code == 429
        assert "réessayez à partir de" in response.content.decode()

        # While the parent signs in from elsewhere
        assert sign_in(TownClient(), "marie.alain@exemple.fr", PASSWORD, ip="10.1.1.1").status_code == 302

    # And the address is free again after the cool-off
    with time_machine.travel(datetime(2026, 3, 10, 9, 16, tzinfo=PARIS), tick=False):
        assert sign_in(TownClient(), "marie.alain@exemple.fr", PASSWORD, ip="10.6.6.6").status_code == 302


def test_failures_in_one_town_do_not_lock_the_same_address_in_another(client, parent, town_b):
    for _ in range(5):
        sign_in(client, "marie.alain@exemple.fr", "Mauvais-1-mot")
    response = client.post("/ville-b/connexion/", {"username": "marie.alain@exemple.fr", "password": "x"},
                           REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 200
    assert FAILED in response.content.decode()


def test_logout_is_a_post_and_ends_the_session(client, parent):
    sign_in(client, "marie.alain@exemple.fr", PASSWORD)

    # A link (GET) cannot sign the parent out
    assert client.get("/ville-a/deconnexion/").status_code == 405
    assert client.get("/ville-a/").status_code == 200

    response = client.post("/ville-a/deconnexion/", follow=True)
    assert response.redirect_chain[0] == ("/ville-a/connexion/", 302)
    assert "Vous êtes déconnecté." in response.content.decode()
    assert client.get("/ville-a/").status_code == 302


def test_the_session_expires_after_thirty_minutes_of_inactivity(client, parent, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    start = datetime(2026, 3, 10, 9, 0, tzinfo=PARIS)
    with time_machine.travel(start, tick=False):
        sign_in(client, "marie.alain@exemple.fr", PASSWORD)
        assert client.get("/ville-a/").status_code == 200
    # Activity every 29 minutes keeps the session open
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/ville-a/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get("/ville-a/").status_code == 200
    # 31 minutes without a request: signed out, with a message on the login page
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get("/ville-a/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/ville-a/connexion/")
    assert "Votre session a expiré après une période d&#x27;inactivité" in response.content.decode()
    with time_machine.travel(start + timedelta(minutes=90), tick=False):
        assert client.get("/ville-a/").status_code == 302


def test_a_signed_in_parent_sent_to_a_staff_page_sees_the_login_form_not_a_redirect_loop(client, parent):
    sign_in(client, "marie.alain@exemple.fr", PASSWORD)
    response = client.get("/ville-a/gestion/equipe/", follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) == 1
    assert "n'a pas accès à la page demandée" in response.content.decode()


def test_a_signed_in_user_opening_the_login_page_goes_home(client, parent):
    sign_in(client, "marie.alain@exemple.fr", PASSWORD)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/ville-a/"


@pytest.mark.parametrize("path", [LOGIN, "/ville-a/nouveau-mot-de-passe/"])
def test_pages_carry_the_security_headers(client, town, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_passwords_are_hashed_with_argon2(db):
    from django.test.utils import override_settings

    from config.settings import base
    from tenant_apps.accounts.models import User

    # The test settings use a fast hasher; the deployed ones use Argon2 first.
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user = User(email="x@exemple.fr")
        user.set_password(PASSWORD)
        assert user.password.startswith("argon2$")
        assert user.check_password(PASSWORD)


def test_a_forged_forwarded_for_header_does_not_escape_the_address_lock(client, parent):
    # Given no proxy is declared, an attacker writes a new X-Forwarded-For on each attempt
    for n in range(5):
        response = client.post(LOGIN, {"username": f"essai{n}@exemple.fr", "password": "x"},
                               REMOTE_ADDR="10.6.6.6", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    # Then their real address is locked all the same
    assert response.status_code == 429


def test_behind_a_declared_proxy_the_forwarded_address_is_the_clients(client, parent, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # Given five failures from one client through the load balancer (10.0.0.254)
    for n in range(5):
        response = client.post(LOGIN, {"username": f"essai{n}@exemple.fr", "password": "x"},
                               REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 198.51.100.7")
    assert response.status_code == 429
    # Then another client through the same load balancer still signs in
    ok = TownClient().post(LOGIN, {"username": "marie.alain@exemple.fr", "password": PASSWORD},
                       REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ok.status_code == 302


def test_the_operators_console_login_is_locked_too_with_the_same_message(client, towns, db):
    from django.db import connection

    from tenant_apps.accounts.models import User

    connection.set_schema_to_public()
    User.objects.create_superuser("ops@editeur.fr", PASSWORD)
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=PARIS), tick=False):
        for _ in range(5):
            response = client.post("/ops/login/", {"username": "ops@editeur.fr", "password": "x"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "réessayez à partir de 09:15" in body
    assert 'href="/ops/login/"' in body
