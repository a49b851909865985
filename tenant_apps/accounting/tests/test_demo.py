"""The demo town comes with its accounting settings filled in."""

import pytest

from ..demo import load
from ..keys import siret_valid
from ..models import AccountingSettings, ServiceAccounting

pytestmark = pytest.mark.django_db


def test_the_demo_town_has_its_accounting_settings(town, canteen):
    load(town)
    load(town)  # twice: nothing doubles
    settings = AccountingSettings.objects.get()
    assert settings.id_post and siret_valid(settings.id_coll) and settings.cod_col
    assert ServiceAccounting.objects.get(service=canteen).cod_prod_loc == "EN01"
