"""Operators configure a town's online payment: CLI and /ops/ admin, secrets encrypted and masked."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shared_apps.payments.crypto import ParamsUnreadable, mask_params
from shared_apps.payments.errors import InvalidParameter, UnknownBackend, UnknownParameter
from shared_apps.payments.models import PaymentProviderConfig
from shared_apps.payments.selectors import provider_config_for_current_town
from shared_apps.payments.services import payment_config_set


def configure(*args) -> str:
    out = io.StringIO()
    call_command("configure_payment", *args, stdout=out)
    return out.getvalue()


def test_an_operator_configures_payfip_from_the_cli_and_never_sees_the_secret_again(town_a):
    output = configure("ville-a", "--backend", "payfip_ws", "--param", "numcli=987654", "--param", "saisie=T",
                       "--enable")
    assert "payfip_ws, enabled" in output
    assert "987654" not in output and "saisie=T" in output
    config = PaymentProviderConfig.objects.get(town=town_a)
    # Encrypted at rest: the raw column does not contain the value
    with connection.cursor() as cursor:
        cursor.execute("SELECT encrypted_params FROM payments_paymentproviderconfig WHERE id = %s", [config.pk])
        [raw] = cursor.fetchone()
    assert "987654" not in raw
    assert config.params == {"numcli": "987654", "saisie": "T"}
    assert "987654" not in configure("ville-a", "--show")


def test_parameters_are_checked_against_the_backend(town_a):
    with pytest.raises(UnknownBackend):
        payment_config_set(town=town_a, backend="bitcoin")
    with pytest.raises(UnknownParameter):
        payment_config_set(town=town_a, backend="payfip_ws", params={"colour": "blue"})
    with pytest.raises(InvalidParameter):
        payment_config_set(town=town_a, backend="payfip_ws", params={"numcli": "12"})
    with pytest.raises(InvalidParameter, match="numcli"):
        payment_config_set(town=town_a, backend="payfip_ws", params={"saisie": "T"}, enabled=True)
    with pytest.raises(CommandError, match="saisie"):
        configure("ville-a", "--backend", "payfip_ws", "--param", "saisie=Q")
    with pytest.raises(CommandError, match="No town"):
        configure("nowhere", "--backend", "dummy")


def test_params_are_merged_and_can_be_removed(town_a):
    payment_config_set(town=town_a, backend="payfip_ws", params={"numcli": "987654", "saisie": "T"})
    payment_config_set(town=town_a, backend="payfip_ws", params={"saisie": "W"})
    assert PaymentProviderConfig.objects.get().params == {"numcli": "987654", "saisie": "W"}
    payment_config_set(town=town_a, backend="payfip_ws", params={"saisie": ""})
    assert PaymentProviderConfig.objects.get().params == {"numcli": "987654"}


def test_masking_keeps_only_a_hint_of_secrets():
    assert mask_params({"numcli": "987654", "secret_test": "abcdefghijkl", "saisie": "T"}) == {
        "numcli": "9••••", "saisie": "T", "secret_test": "ab••••l",
    }


def test_a_town_reads_only_its_own_enabled_configuration(town_a, town_b):
    payment_config_set(town=town_a, backend="dummy", enabled=True)
    payment_config_set(town=town_b, backend="dummy", enabled=False)
    connection.set_tenant(town_a)
    assert provider_config_for_current_town().town_id == town_a.pk
    connection.set_tenant(town_b)
    assert provider_config_for_current_town() is None
    assert provider_config_for_current_town(enabled_only=False).town_id == town_b.pk


def test_the_ops_admin_lists_configurations_masked_and_saves_through_the_service(town_a, client, settings):
    from django.contrib.auth import get_user_model

    # django-axes keeps its tables in town schemas only; an operator's login must not reach it.
    settings.AXES_ENABLED = False

    operator = get_user_model().objects.create_superuser("ops@portail.example", "Tartine-2-Confiture")
    client.force_login(operator)
    response = client.post("/ops/payments/paymentproviderconfig/add/", {
        "town": town_a.pk, "backend": "payfip_ws", "enabled": "on", "new_params": "numcli=987654\nsaisie=T",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    connection.set_schema_to_public()
    assert PaymentProviderConfig.objects.get(town=town_a).params == {"numcli": "987654", "saisie": "T"}
    listing = client.get("/ops/payments/paymentproviderconfig/").content.decode()
    assert "9••••" in listing and "987654" not in listing


def test_the_ops_admin_refuses_bad_parameters_with_a_message(town_a, client, settings):
    from django.contrib.auth import get_user_model

    settings.AXES_ENABLED = False
    client.force_login(get_user_model().objects.create_superuser("ops@portail.example", "Tartine-2-Confiture"))
    response = client.post("/ops/payments/paymentproviderconfig/add/", {
        "town": town_a.pk, "backend": "payfip_ws", "enabled": "on", "new_params": "saisie=T",
    })
    assert response.status_code == 200
    assert "Paramètres obligatoires manquants pour payfip_ws : numcli" in response.content.decode()
    connection.set_schema_to_public()
    assert not PaymentProviderConfig.objects.exists()


def test_rotating_the_secret_key_keeps_the_stored_parameters_readable(town_a, settings):
    # Given PayFiP configured under the deployment's PAYMENT_CONFIG_KEY
    payment_config_set(town=town_a, backend="payfip_ws", params={"numcli": "987654"})

    # When the operators rotate SECRET_KEY
    settings.SECRET_KEY = "a-brand-new-secret-key-after-rotation"

    # Then the town's parameters still read, and only a change of PAYMENT_CONFIG_KEY loses them
    assert PaymentProviderConfig.objects.get(town=town_a).params == {"numcli": "987654"}
    settings.PAYMENT_CONFIG_KEY = "another-payment-key"
    with pytest.raises(ParamsUnreadable):
        PaymentProviderConfig.objects.get(town=town_a).params  # noqa: B018
