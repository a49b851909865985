"""Bank details as parents and staff type them: IBAN and BIC refused in French when wrong, the
creditor identifier (ICS) checked with its key, IBANs encrypted at rest and shown masked."""

import pytest
from django.db import connection

from ..bank import bic_clean, iban_clean, iban_mask, ics_clean
from ..errors import InvalidBankDetails
from ..models import Mandate
from ..services import mandate_request
from .helpers import ALAIN_IBAN, creditor_settings, signed_mandate_pdf


def test_an_iban_typed_with_spaces_is_kept_in_its_electronic_form():
    assert iban_clean("fr76 3000 6000 0112 3456 7890 189") == ALAIN_IBAN


@pytest.mark.parametrize(("typed", "message"), [
    ("FR76 3000 6000 0112 3456 7890 188", "L'IBAN « FR7630006000011234567890188 » n'est pas valide : vérifiez-le sur votre RIB."),
    ("FR76 3000", "L'IBAN « FR763000 » n'est pas valide : vérifiez-le sur votre RIB."),
    ("", "Saisissez l'IBAN du compte à prélever."),
])
def test_a_wrong_iban_is_refused_in_french(typed, message):
    with pytest.raises(InvalidBankDetails) as refused:
        iban_clean(typed)
    assert str(refused.value.message) == message


def test_a_wrong_bic_is_refused_in_french_and_a_missing_one_is_found_from_the_iban():
    with pytest.raises(InvalidBankDetails) as refused:
        bic_clean("AGRI FR", iban=ALAIN_IBAN)
    assert str(refused.value.message) == "Le BIC « AGRIFR » n'est pas valide : 8 ou 11 caractères, comme sur votre RIB."
    assert bic_clean("", iban=ALAIN_IBAN) == "AGRIFRPPXXX"
    assert bic_clean("agrifrpp") == "AGRIFRPP"


def test_the_creditor_identifier_is_checked_with_its_key():
    assert ics_clean("fr72 zzz 123456") == "FR72ZZZ123456"
    with pytest.raises(InvalidBankDetails) as refused:
        ics_clean("FR73ZZZ123456")
    assert "La clé de l'ICS « FR73ZZZ123456 » est fausse" in str(refused.value.message)
    with pytest.raises(InvalidBankDetails):
        ics_clean("123456")


def test_the_iban_is_masked_but_for_its_country_key_and_last_digits():
    assert iban_mask(ALAIN_IBAN) == "FR76 **** **** **** **** **** 189"


def test_the_iban_is_stored_encrypted_and_read_back_in_clear_for_the_bank_file(family):
    # Given a town offering direct debit and a parent's request
    creditor_settings()
    mandate = mandate_request(household=family.household, debtor_name="Marie ALAIN", iban=ALAIN_IBAN,
                              document=signed_mandate_pdf())
    # Then the row in the database does not hold the IBAN
    with connection.cursor() as cursor:
        cursor.execute("SELECT iban_encrypted, iban_masked FROM directdebit_mandate WHERE id = %s", [mandate.pk])
        stored, masked = cursor.fetchone()
    assert ALAIN_IBAN not in stored and "30006000011234567890" not in stored
    assert masked == "FR76 **** **** **** **** **** 189"
    # And the mandate gives it back for the file
    assert Mandate.objects.get(pk=mandate.pk).iban == ALAIN_IBAN
