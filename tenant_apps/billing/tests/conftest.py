import datetime as dt
import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from shared_apps.payments.services import payment_config_set
from tenant_apps.bookings.tests.factories import book, school_days
from tests.support.fixtures import Family, family_create

from .factories import TariffFactory

APRIL = (dt.date(2019, 4, 1), dt.date(2019, 4, 30))


@pytest.fixture
def alain(town) -> Family:
    """The ALAIN household as billing sees it: Claire (the payer, signs in) and Théo, who eats at
    the canteen; a family quotient of 650 valid throughout 2019."""
    return family_create("ALAIN", first_name="Claire", email="claire.alain@example.org", children=("Théo",),
                         address_line="3 rue des Écoles", family_quotient=650, family_quotient_valid_from=dt.date(2019, 1, 1),
                         family_quotient_valid_until=dt.date(2019, 12, 31))


@pytest.fixture
def alain_client(client, alain):
    """Claire ALAIN, signed in."""
    client.force_login(alain.user)
    return client


@pytest.fixture
def canteen_tariff(canteen):
    """The canteen's flat price: 3.30 € a meal."""
    return TariffFactory(service=canteen, unit_price=Decimal("3.30"))


@pytest.fixture
def april_invoice(alain, canteen, canteen_tariff):
    """An issued invoice of 24 meals × 3.30 € = 79.20 € for April 2019."""
    from ..services import household_invoice_issue

    book(alain.child, canteen, school_days(*APRIL, weekdays=range(6))[:24])
    return household_invoice_issue(household_id=alain.household.pk, period_start=APRIL[0], period_end=APRIL[1])


@pytest.fixture
def dummy_payment(town):
    return payment_config_set(town=town, backend="dummy", params={}, enabled=True)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """PDFs written by a test go to a temporary directory, not to the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def committed_town(live_db):
    from provisioning.services import town_create, town_drop
    from tenants.opening import town_open

    town = town_create(slug=f"conc-{uuid.uuid4().hex[:8]}", name="Mairie de Concurrence")
    town_open(town=town, by="tests")  # parents sign in: the portal is open
    try:
        yield town
    finally:
        connection.set_schema_to_public()
        town_drop(town=town)


def in_threads(town, *targets):
    """Run each target in its own thread and database connection, all released at once."""
    barrier = threading.Barrier(len(targets))
    failures = []

    def runner(target):
        try:
            connection.set_tenant(town)
            barrier.wait()
            target()
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failures
