"""The demo town offers direct debit: the town is a SEPA creditor and two households pay by direct
debit (MARTIN with its PDF mandate, LE GALL on the paper form); ALAIN keeps PAYER."""

from ..demo import load
from ..models import DirectDebitSettings, Mandate
from ..selectors import active_mandate_for_household


def test_the_demo_has_two_households_on_direct_debit(town, family):
    load(town)
    load(town)  # idempotent: loading twice changes nothing

    assert DirectDebitSettings.current().is_complete and DirectDebitSettings.current().enabled
    active = Mandate.objects.filter(status=Mandate.Status.ACTIVE).select_related("household")
    assert sorted(m.household.name for m in active) == ["LE GALL", "MARTIN"]
    assert {m.paper_form for m in active} == {True, False}
    assert active_mandate_for_household(family.household) is None
