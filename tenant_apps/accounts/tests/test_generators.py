"""Property-based tests: the random generator and the sentence converter never produce a
password the policy would refuse without saying so."""

import re
import unicodedata
from collections import Counter
from html import unescape

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenant_apps.accounts import generators
from tenant_apps.accounts.models import AccessLink
from tenant_apps.accounts.passphrase import ADVICE, passphrase_convert, passphrase_to_password
from tenant_apps.accounts.password_policy import CnilPasswordValidator
from tenant_apps.accounts.services import access_link_issue

LABELS = {
    "length": "8 caractères minimum",
    "lower": "1 minuscule",
    "upper": "1 majuscule",
    "special": "1 caractère spécial",
    "digit": "1 chiffre",
}


def expected_unmet(password: str) -> list[str]:
    """An independent reading of the rules, by Unicode category."""
    categories = [unicodedata.category(c) for c in password]
    met = {
        "length": len(password) >= 8,
        "lower": "Ll" in categories,
        "upper": "Lu" in categories,
        "special": any(not c.startswith("L") and c != "Nd" for c in categories),
        "digit": "Nd" in categories,
    }
    return [LABELS[code] for code in LABELS if not met[code]]


# --- random generator ---------------------------------------------------------------------

@settings(max_examples=500)
@given(rng=st.randoms(use_true_random=False), length=st.integers(min_value=8, max_value=64))
def test_every_generated_password_passes_every_validator(rng, length):
    password = generators.generate_password(length=length, rng=rng)
    assert len(password) == length
    assert set(password) <= set(generators.ALPHABET)
    validate_password(password)  # the policy, common passwords: raises if refused


def test_thousands_of_draws_from_the_csprng_are_compliant_and_distinct():
    drawn = [generators.generate_password() for _ in range(3000)]
    for password in drawn:
        assert expected_unmet(password) == []
    assert len(set(drawn)) == len(drawn)


def test_a_too_short_length_is_refused():
    with pytest.raises(ValueError):
        generators.generate_password(length=7)


# --- sentence converter -----------------------------------------------------------------

def test_the_guides_example():
    assert passphrase_to_password("Le nouveau portail de connexion 3D Ouest !") == "Lnp2c3O!"


@pytest.mark.parametrize(
    ("sentence", "password"),
    [
        ("Ma fille a trois ans et demi !", "Mfa3aed!"),
        ("J'ai deux enfants, Théo et Anna.", "J'a2e,TeA."),
        ("L'école ouvre à 8h30 ?", "L'éoà830?"),
        ("Un A320 décolle", "1A320d"),
        ("DIX", "10"),
        ("  espaces   multiples  ", "em"),
        ("", ""),
    ],
)
def test_documented_examples(sentence, password):
    assert passphrase_to_password(sentence) == password


@settings(max_examples=1000)
@given(st.text(max_size=120))
def test_for_any_sentence_the_output_passes_or_the_hint_lists_exactly_the_unmet_rules(sentence):
    result = passphrase_convert(sentence)
    try:
        CnilPasswordValidator().validate(result.password)
    except ValidationError:
        assert not result.ok
    else:
        assert result.ok
    assert result.unmet == expected_unmet(result.password)
    assert result.advice == [ADVICE[code] for code in result.unmet_codes]
    assert len(result.unmet_codes) == len(result.unmet)


@settings(max_examples=500)
@given(st.text(max_size=120))
def test_the_converter_keeps_digits_and_signs_and_drops_spaces(sentence):
    password = passphrase_to_password(sentence)
    normalized = unicodedata.normalize("NFC", sentence)
    assert passphrase_to_password(sentence) == password  # deterministic
    assert not any(c.isspace() for c in password)
    digits_in = Counter(c for c in normalized if unicodedata.category(c) == "Nd")
    digits_out = Counter(c for c in password if unicodedata.category(c) == "Nd")
    assert digits_in <= digits_out
    signs_in = [c for c in normalized if not c.isspace() and unicodedata.category(c)[0] not in "LMNC"]
    signs_out = [c for c in password if unicodedata.category(c)[0] not in "LMNC"]
    assert signs_in == signs_out


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(sentence=st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=60),
    st.sampled_from(["   ", "Le nouveau portail de connexion 3D Ouest !", "trois petits chats"]),
))
def test_the_page_shows_the_result_and_exactly_the_unmet_rules(client, newcomer, town, sentence):
    token = access_link_issue(user=newcomer, purpose=AccessLink.Purpose.RESET)
    response = client.post(f"/ville-a/mot-de-passe/{token}/phrase/", {"phrase": sentence}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    result = passphrase_convert(sentence)
    shown = re.search(r'id="phrase-password">(.*?)</code>', body, re.S).group(1)
    assert unescape(shown) == (result.password or "(vide)")
    if result.ok:
        assert 'class="unmet-rules"' not in body
    else:
        listed = re.findall(r"<li>([^<]+)</li>", body.split('class="unmet-rules"')[1].split("</ul>")[0])
        assert listed == expected_unmet(result.password)
