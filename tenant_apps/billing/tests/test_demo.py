"""The demo town shows the guide's two invoices of the ALAIN household and can pay online."""

import html

from shared_apps.payments.selectors import provider_config_for_current_town
from tenant_apps.families.tests.factories import GuardianFactory, HouseholdFactory

from ..demo import load
from ..models import Invoice
from ..services import payment_start


def test_the_demo_shows_the_guides_invoices(town, client):
    household = HouseholdFactory(name="ALAIN")
    guardian = GuardianFactory(household=household, first_name="Claire", last_name="ALAIN")

    load(town)

    client.force_login(guardian.user)
    page = html.unescape(client.get("/ville-a/mes-factures/").content.decode())
    assert "Factures 2019" in page
    assert "000133" in page and "Du 4 mars 2019 au 31 mars 2019" in page and "23,10\u00a0€ payé sur 23,10\u00a0€" in page
    assert "000380" in page and "Du 1 avr. 2019 au 30 avr. 2019" in page and "0,00\u00a0€ payé sur 79,20\u00a0€" in page
    assert page.count(">Payer<") == 1
    assert provider_config_for_current_town().backend == "dummy"
    april = Invoice.objects.get(number="000380")
    assert payment_start(invoice=april, payer_email=guardian.user.email).request.url
