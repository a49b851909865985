import datetime as dt
import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from shared_apps.payments.services import payment_config_set

from .factories import (
    ChildFactory,
    GuardianFactory,
    HouseholdFactory,
    ServiceFactory,
    TariffFactory,
    book,
    school_days,
)

APRIL = (dt.date(2019, 4, 1), dt.date(2019, 4, 30))


@pytest.fixture
def alain(in_town_a):
    """The ALAIN household: Claire (guardian, signs in) and Théo, who eats at the canteen."""
    household = HouseholdFactory(name="ALAIN", family_quotient=650, family_quotient_valid_from=dt.date(2019, 1, 1),
                                 family_quotient_valid_until=dt.date(2019, 12, 31))
    guardian = GuardianFactory(household=household, first_name="Claire", last_name="ALAIN",
                               user__email="claire.alain@example.org")
    theo = ChildFactory(household=household, first_name="Théo", last_name="ALAIN")
    return household, guardian, theo


@pytest.fixture
def canteen(in_town_a):
    service = ServiceFactory(name="Repas Enfant")
    TariffFactory(service=service, unit_price=Decimal("3.30"))
    return service


@pytest.fixture
def april_invoice(alain, canteen):
    """An issued invoice of 24 meals × 3.30 € = 79.20 € for April 2019."""
    from ..services import household_invoice_issue

    household, _guardian, theo = alain
    book(theo, canteen, school_days(*APRIL, weekdays=range(6))[:24])
    return household_invoice_issue(household_id=household.pk, period_start=APRIL[0], period_end=APRIL[1])


@pytest.fixture
def dummy_payment(in_town_a):
    return payment_config_set(town=in_town_a, backend="dummy", params={}, enabled=True)


@pytest.fixture
def parent_client(client, alain):
    _household, guardian, _theo = alain
    client.force_login(guardian.user)
    return client


@pytest.fixture
def drain(run_jobs):
    """Process queued jobs, then come back to the test's town (the worker middleware resets it)."""

    def _drain():
        tenant = connection.tenant
        result = run_jobs()
        connection.set_tenant(tenant)
        return result

    return _drain


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """PDFs written by a test go to a temporary directory, not to the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def committed_town(live_db):
    from provisioning.services import town_create, town_drop

    town = town_create(slug=f"conc-{uuid.uuid4().hex[:8]}", name="Mairie de Concurrence")
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
