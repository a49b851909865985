#!/usr/bin/env python
"""Benchmark of the monthly invoicing run (issue 5, `make bench`).

Creates a throw-away town (provisioning.services.town_create), seeds 2,000 households /
5,000 children with a month of bookings on three services, then measures:

- a baseline: reading every booking of the month in one query;
- the invoicing run without PDFs: total time, invoices per second, queries per household;
- the same run with PDFs (WeasyPrint, stored through the town's storage);
- that the query count per household is constant (households of 1 to 3 children, 1 to 3 services).

The town (schema, rows and files) is dropped at the end. BENCH_SCALE shrinks the town
(e.g. BENCH_SCALE=0.05 for 100 households); BENCH_PDF_SCALE shrinks only the PDF run.
Expects a migrated database (DATABASE_URL), as after `make run`.
"""

import datetime as dt
import os
import random
import shutil
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

for noisy in ("weasyprint", "fontTools", "weasyprint.progress"):
    logging.getLogger(noisy).setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402


class QueryCounter:
    """Counts the statements Django sends (without keeping them, unlike CaptureQueriesContext).

    django-tenants adds a `SET search_path` per cursor on top, unless TENANT_LIMIT_SET_CALLS is on.
    """

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)

    def __len__(self):
        return self.count

from django_tenants.utils import tenant_context  # noqa: E402

from tenants.current import activate_public  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
# PDFs cost ~0.1–0.2 s each: by default a quarter of the households get the PDF run, and the
# full-town time is extrapolated (BENCH_PDF_SCALE=1 renders them all).
PDF_SCALE = float(os.environ.get("BENCH_PDF_SCALE", "0.25"))
# BENCH_PDF_SAMPLE (default 30): invoices rendered one after the other for the PDF baseline.
HOUSEHOLDS = max(3, round(2000 * SCALE))
CHILDREN = max(HOUSEHOLDS, round(5000 * SCALE))
MONTH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
PDF_TARGET = 20  # PDFs per second (issue 13, target 5)


def seed() -> dict:
    from tenant_apps.billing.models import Tariff, TariffBracket
    from tenant_apps.bookings.models import Booking
    from tenant_apps.catalog.models import Service
    from tenant_apps.families.models import Child, Guardian, Household

    rng = random.Random(5)
    canteen = Service.objects.create(name="Repas Enfant", kind=Service.Kind.CANTEEN, weekdays=[0, 1, 3, 4])
    evening = Service.objects.create(name="Accueil périscolaire soir", kind=Service.Kind.AFTER_SCHOOL,
                                     weekdays=[0, 1, 3, 4])
    wednesday = Service.objects.create(name="ALSH Mercredi matin", kind=Service.Kind.WEDNESDAY, weekdays=[2])
    qf = Tariff.objects.create(service=canteen, valid_from=dt.date(2025, 9, 1), mode=Tariff.Mode.FAMILY_QUOTIENT)
    TariffBracket.objects.bulk_create([
        TariffBracket(tariff=qf, qf_min=0, qf_max=400, price=Decimal("1.00")),
        TariffBracket(tariff=qf, qf_min=401, qf_max=800, price=Decimal("2.40")),
        TariffBracket(tariff=qf, qf_min=801, qf_max=None, price=Decimal("3.30")),
    ])
    Tariff.objects.create(service=evening, valid_from=dt.date(2025, 9, 1), unit_price=Decimal("3.00"))
    Tariff.objects.create(service=wednesday, valid_from=dt.date(2025, 9, 1), unit_price=Decimal("5.00"))

    households = Household.objects.bulk_create([
        Household(name=f"FOYER {i:05d}", address_line=f"{i} rue des Écoles", postcode="22300", city="Lannion",
                  family_quotient=rng.choice([None, 250, 600, 1200]),
                  family_quotient_valid_from=dt.date(2026, 1, 1), family_quotient_valid_until=dt.date(2026, 12, 31))
        for i in range(HOUSEHOLDS)
    ])
    Guardian.objects.bulk_create([
        Guardian(household=h, first_name="Camille", last_name=h.name.split()[1], email=f"p{h.pk}@example.org",
                 is_payer=True)
        for h in households
    ])
    children = Child.objects.bulk_create([
        Child(household=households[i % HOUSEHOLDS], first_name=f"Enfant{i}", last_name=f"N{i % HOUSEHOLDS}",
              birth_date=dt.date(2016, 1, 1))
        for i in range(CHILDREN)
    ])
    days = [MONTH[0] + dt.timedelta(days=n) for n in range((MONTH[1] - MONTH[0]).days + 1)]
    school = [d for d in days if d.weekday() in (0, 1, 3, 4)]
    wednesdays = [d for d in days if d.weekday() == 2]
    bookings = []
    A, S = Booking.Attendance, Booking.Status
    for index, child in enumerate(children):
        plan = [(canteen, school)]
        if index % 2 == 0:
            plan.append((evening, school))
        if index % 3 == 0:
            plan.append((wednesday, wednesdays))
        for service, service_days in plan:
            for day in service_days:
                roll = rng.random()
                fields: dict[str, Any] = {}
                if roll < 0.02:
                    fields["status"] = S.CANCELLED
                elif roll < 0.07:
                    fields["attendance"] = A.JUSTIFIED_ABSENCE
                elif roll < 0.10:
                    fields["attendance"] = A.ABSENT
                elif roll < 0.11:
                    fields.update(attendance=A.PRESENT, unbooked_attendance=True)
                else:
                    fields["attendance"] = A.PRESENT
                bookings.append(Booking(child=child, service=service, date=day, **fields))
    Booking.objects.bulk_create(bookings, batch_size=5000)
    return {"bookings": len(bookings)}


def reset_invoices() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE billing_invoiceline_bookings, billing_invoiceline, billing_invoice, billing_invoicerun"
                       " CASCADE")
        cursor.execute("UPDATE billing_numbersequence SET last_number = 0")
        cursor.execute("UPDATE bookings_booking SET invoiced = false WHERE invoiced")


def timed_run(*, with_pdfs: bool, limit: int | None = None) -> dict:
    from tenant_apps.billing import services
    from tenant_apps.billing.models import Invoice, InvoiceRun

    if limit is not None:
        # Only the first `limit` households: the others' bookings are marked invoiced beforehand.
        from tenant_apps.bookings.models import Booking

        ids = services.invoicing._households_to_invoice(*MONTH)[limit:]
        Booking.objects.filter(child__household_id__in=ids).update(invoiced=True)
    run = InvoiceRun.objects.create(period_start=MONTH[0], period_end=MONTH[1], with_pdfs=with_pdfs)
    with QueryCounter() as queries:
        started = time.perf_counter()
        run = services.invoice_run_execute(run_id=run.pk)
        elapsed = time.perf_counter() - started
    invoices = Invoice.objects.filter(run=run).count()
    return {"seconds": elapsed, "invoices": invoices, "households": run.households_total,
            "queries": len(queries), "errors": len(run.errors), "status": run.status}


def per_household_query_counts(sample: int = 30) -> dict:
    """Queries of one household's invoice, by household shape (children × services)."""
    from tenant_apps.billing.models import BillingSettings
    from tenant_apps.billing.pricing import TariffBook
    from tenant_apps.billing.selectors import tariffs_valid_between
    from tenant_apps.billing.services import household_invoice_issue
    from tenant_apps.billing.services.invoicing import _households_to_invoice
    from tenant_apps.bookings.models import Booking

    rules = BillingSettings.current()
    tariffs = TariffBook(tariffs_valid_between(*MONTH))
    counts: dict[str, set[int]] = {}
    for household_id in _households_to_invoice(*MONTH)[:sample]:
        shape = Booking.objects.filter(child__household_id=household_id, date__range=MONTH).values_list(
            "child_id", "service_id").distinct().count()
        with QueryCounter() as queries:
            household_invoice_issue(household_id=household_id, period_start=MONTH[0], period_end=MONTH[1],
                                    tariffs=tariffs, rules=rules)
        counts.setdefault(f"{shape} child×service pairs", set()).add(len(queries))
    return counts


def pdf_baseline(sample: int) -> tuple[float, float]:
    """PDFs per second rendered one after the other in this process, for `sample` invoices of the run:
    as before issue 13 (stylesheet inlined, fonts and stylesheet set up for every PDF), and with the
    fonts and stylesheet built once (what each worker process does)."""
    from weasyprint import HTML

    from tenant_apps.billing import pdf_worker
    from tenant_apps.billing.models import Invoice
    from tenant_apps.billing.pdf import render_invoice_html, shared_context, stylesheet

    shared = shared_context()
    pages = [render_invoice_html(invoice, shared) for invoice in Invoice.objects.order_by("pk")[:sample]]
    inline = [page.replace("</head>", f"<style>{stylesheet()}</style></head>", 1) for page in pages]
    HTML(string=inline[0]).write_pdf()  # warm-up, as a worker that has rendered before
    started = time.perf_counter()
    for page in inline:
        HTML(string=page, base_url=None).write_pdf()
    before = len(inline) / (time.perf_counter() - started)
    pdf_worker.render(pages[0], stylesheet())
    started = time.perf_counter()
    for page in pages:
        pdf_worker.render(page, stylesheet())
    shared_once = len(pages) / (time.perf_counter() - started)
    return before, shared_once


def print_pdf_figures(without: dict, with_pdfs: dict, limit: int | None) -> None:
    from tenant_apps.billing.services.pdfs import pdf_workers

    print(f"\nInvoicing run, PDFs included (WeasyPrint in {pdf_workers()} worker processes, stored)")
    print(f"  {with_pdfs['invoices']} invoices in {with_pdfs['seconds']:.1f} s"
          f" → {with_pdfs['invoices'] / with_pdfs['seconds']:.1f} invoices/s"
          f" ({with_pdfs['status']}, {with_pdfs['errors']} errors)")
    per_invoice = without["seconds"] / max(1, without["invoices"])
    pdf_seconds = max(1e-9, with_pdfs["seconds"] - per_invoice * with_pdfs["invoices"])
    rate = with_pdfs["invoices"] / pdf_seconds
    full = with_pdfs["seconds"] / max(1, with_pdfs["invoices"]) * without["invoices"]
    label = "" if limit is None else f" (extrapolated from {with_pdfs['invoices']} invoices, BENCH_PDF_SCALE={PDF_SCALE})"
    print(f"  run for {CHILDREN} children: {without['seconds']:.1f} s without PDFs (baseline), "
          f"{full:.1f} s with PDFs{label}")
    sample = int(os.environ.get("BENCH_PDF_SAMPLE", "30"))
    before, shared_once = pdf_baseline(sample)
    print(f"  baseline, {sample} PDFs one after the other as before (stylesheet inlined, fonts per PDF): "
          f"{before:5.1f} PDFs/s ({1000 / before:.0f} ms each)")
    print(f"  one process, fonts and stylesheet built once                  : "
          f"{shared_once:5.1f} PDFs/s ({1000 / shared_once:.0f} ms each)")
    print(f"  the run, in parallel                                           : "
          f"{rate:5.1f} PDFs/s ({rate / before:.1f}× the baseline)")
    print(f"  target 5, ≥ {PDF_TARGET} PDFs/s: {'pass' if rate >= PDF_TARGET else 'short'}")


def main() -> None:
    from provisioning.services import town_create, town_drop
    from tenants.opening import town_open

    print(f"Invoicing benchmark: {HOUSEHOLDS} households, {CHILDREN} children, "
          f"bookings of {MONTH[0]:%B %Y} (BENCH_SCALE={SCALE})")
    started = time.perf_counter()
    town = town_create(slug=f"bench-{uuid.uuid4().hex[:8]}", name="Mairie de Bench")
    town_open(town=town, by="tests")  # parents sign in: the portal is open
    print(f"  town created in {time.perf_counter() - started:.1f} s ({town.schema_name})")
    try:
        with tenant_context(town):
            started = time.perf_counter()
            seeded = seed()
            print(f"  seeded {seeded['bookings']} bookings in {time.perf_counter() - started:.1f} s")

            from tenant_apps.bookings.models import Booking

            started = time.perf_counter()
            rows = len(list(Booking.objects.filter(date__range=MONTH).values_list("pk", "child_id", "service_id")))
            baseline = time.perf_counter() - started
            print(f"\nBaseline: reading the month's {rows} bookings in one query: {baseline:.2f} s")

            result = timed_run(with_pdfs=False)
            per_household = result["queries"] / max(1, result["households"])
            print("\nInvoicing run, PDFs excluded")
            print(f"  {result['invoices']} invoices for {result['households']} households in {result['seconds']:.1f} s"
                  f" → {result['invoices'] / result['seconds']:.0f} invoices/s ({result['status']}, {result['errors']} errors)")
            print(f"  {result['queries']} queries, {per_household:.2f} per household;"
                  f" {result['seconds'] / baseline:.0f}× the baseline")

            reset_invoices()
            counts = per_household_query_counts()
            print("\nQueries to invoice one household, by shape (one value per shape means constant):")
            for shape, values in sorted(counts.items()):
                print(f"  {shape}: {sorted(values)}")
            flat = set().union(*counts.values())
            print(f"  → {'constant' if len(flat) == 1 else 'NOT constant'}: {sorted(flat)} queries per household")

            reset_invoices()
            import weasyprint  # noqa: F401 - imported once by a worker, not per run: keep it out of the timing

            limit = None if PDF_SCALE >= 1 else max(1, round(HOUSEHOLDS * PDF_SCALE))
            with_pdfs = timed_run(with_pdfs=True, limit=limit)
            print_pdf_figures(result, with_pdfs, limit)
    finally:
        activate_public()
        town_drop(town=town)
        shutil.rmtree(Path(settings.MEDIA_ROOT) / town.schema_name, ignore_errors=True)
        print("\nThrow-away town dropped.")


if __name__ == "__main__":
    main()
