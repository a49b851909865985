"""Check digits: SIRET (Luhn) and the ORMC article keys.

No worked example of the ORMC keys is public in the sources we could read (the annex
ANNEXE_TECHNIQUE_PES_SEPA_ORMC is referred to by the schema, not published with it): the examples
below are computed by hand from the algorithm documented in keys.py.
"""

from ..keys import cle1, cle2, siret_valid
from ..pes import _split_name


def test_siret_check_digit():
    assert siret_valid("21220113700016")
    assert siret_valid("73282932000074")  # a real company SIRET
    assert not siret_valid("21220113700019")
    assert not siret_valid("2122011370001")
    assert not siret_valid("2122O113700016")


def test_la_poste_establishments_follow_their_own_rule():
    assert siret_valid("35600000000006")  # digits sum to 20, though Luhn fails
    assert not siret_valid("35600000000007")


def test_cle1_modulo_11_by_hand():
    # 113 | 01 | 26 | 1 | 42 -> 1130126142 = 11 × 102738740 + 2
    assert cle1(cod_col="113", nature_code="01", year=2026, period="1", debt_number=42) == "2"
    # 001 | 01 | 26 | 1 | 7 -> 1012617 = 11 × 92056 + 1
    assert cle1(cod_col="001", nature_code="01", year=2026, period="1", debt_number=7) == "1"
    # A remainder of 10 is written 0: 113 | 01 | 26 | 1 | 3 -> 113012613 = 11 × 10273873 + 10
    assert cle1(cod_col="113", nature_code="01", year=2026, period="1", debt_number=3) == "0"


def test_cle2_modulo_23_by_hand():
    # 26 | 1 | 00 | 42 -> 2610042 = 23 × 113480 + 2 -> third letter
    assert cle2(year=2026, period="1", debt_number=42) == "C"
    # 26 | 1 | 00 | 7 -> 261007 = 23 × 11348 + 3 -> fourth letter
    assert cle2(year=2026, period="1", debt_number=7) == "D"


def test_cle1_reads_letters_of_the_code_collectivite_in_base_36():
    # "A" -> 10: A | 01 | 26 | 1 | 5 -> 10012615 = 11 × 910237 + 8
    assert cle1(cod_col="A", nature_code="01", year=2026, period="1", debt_number=5) == "8"


def test_the_debtor_name_is_split_at_the_family_name_in_capitals():
    assert _split_name("Marie DE LA FONTAINE") == ("DE LA FONTAINE", "Marie")
    assert _split_name("Jean Pierre MARTIN") == ("MARTIN", "Jean Pierre")
    assert _split_name("Camille Martin") == ("Martin", "Camille")
    assert _split_name("ASSOCIATION") == ("ASSOCIATION", "")
