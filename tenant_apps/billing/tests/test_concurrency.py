"""Concurrency with committed data and real threads: two invoicing runs at once keep numbers
gapless, and simultaneous payment notifications record the payment once.

These tests use their own throw-away town (committed, dropped afterwards).
"""

from decimal import Decimal

from django.db import connection
from django_tenants.utils import tenant_context

from shared_apps.payments.gateway import dummy_signed_query
from shared_apps.payments.services import payment_config_set
from tenant_apps.bookings.tests.factories import book, school_days
from tenant_apps.catalog.tests.factories import ServiceFactory
from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory

from ..models import Invoice, InvoiceRun, Payment
from ..services import invoice_run_execute, payment_notification_handle, payment_start
from .conftest import APRIL, in_threads
from .factories import TariffFactory

MARCH = (APRIL[0].replace(month=3), APRIL[0].replace(month=3, day=31))


def test_two_concurrent_runs_allocate_gapless_numbers_and_never_bill_twice(committed_town):
    # Given 30 families booked in March and in April
    with tenant_context(committed_town):
        canteen = ServiceFactory(name="Repas Enfant")
        TariffFactory(service=canteen)
        for _ in range(30):
            child = ChildFactory()
            GuardianFactory(household=child.household)
            book(child, canteen, school_days(*MARCH)[:3] + school_days(*APRIL)[:4])
        march = InvoiceRun.objects.create(period_start=MARCH[0], period_end=MARCH[1], with_pdfs=False)
        april = InvoiceRun.objects.create(period_start=APRIL[0], period_end=APRIL[1], with_pdfs=False)

    # When the runs execute at the same time, April's job twice (redelivered by the broker while
    # staff resumed it): both jobs race for the same households
    failures = in_threads(
        committed_town,
        lambda: invoice_run_execute(run_id=march.pk),
        lambda: invoice_run_execute(run_id=april.pk),
        lambda: invoice_run_execute(run_id=april.pk),
    )

    # Then 60 invoices exist, numbered 000001 to 000060 without gap or duplicate
    assert failures == []
    with tenant_context(committed_town):
        numbers = sorted(Invoice.objects.values_list("sequence", flat=True))
        assert numbers == list(range(1, 61))
        assert Invoice.objects.filter(period_start=APRIL[0]).count() == 30
        runs = {r.pk: r for r in InvoiceRun.objects.all()}
        assert (runs[april.pk].invoices_created, runs[april.pk].households_done) == (30, 30)
        assert all(r.errors == [] for r in runs.values())


def test_concurrent_notifications_record_the_payment_once(committed_town):
    from tenant_apps.billing.services import household_invoice_issue

    # Given a pending online payment of a 13.20 € invoice
    payment_config_set(town=committed_town, backend="dummy", enabled=True)
    with tenant_context(committed_town):
        canteen = ServiceFactory(name="Repas Enfant")
        TariffFactory(service=canteen)
        child = ChildFactory()
        GuardianFactory(household=child.household)
        book(child, canteen, school_days(*APRIL)[:4])
        invoice = household_invoice_issue(household_id=child.household_id, period_start=APRIL[0], period_end=APRIL[1])
        tx = payment_start(invoice=invoice, payer_email="p@example.org").transaction
        query = dummy_signed_query(connection.schema_name, transaction_id=tx.provider_reference, amount="13.20",
                                   paid=True)

    # When the callback and the browser return arrive together, twice each
    failures = in_threads(
        committed_town,
        *[lambda channel=channel: payment_notification_handle(query_string=query, channel=channel)
          for channel in ("callback", "return", "callback", "return")],
    )

    # Then one payment, and the invoice is paid exactly once
    assert failures == []
    with tenant_context(committed_town):
        invoice.refresh_from_db()
        assert Payment.objects.count() == 1
        assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("13.20"))


def test_two_staff_creating_overlapping_tariffs_at_once_get_one_tariff(committed_town):
    from ..errors import TariffOverlap
    from ..models import Tariff
    from ..services import tariff_create

    # Given a service without a price for September
    with tenant_context(committed_town):
        canteen = ServiceFactory(name="Repas Enfant")

    # When two gestionnaires save a September price at the same moment
    def create(price):
        return lambda: tariff_create(service=canteen, valid_from=APRIL[0].replace(year=2026, month=9),
                                     unit_price=Decimal(price))

    failures = in_threads(committed_town, create("3.30"), create("3.40"))

    # Then one is saved and the other is told about it: never two overlapping prices
    assert [type(f) for f in failures] == [TariffOverlap]
    with tenant_context(committed_town):
        assert Tariff.objects.filter(service=canteen).count() == 1
