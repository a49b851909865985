#!/usr/bin/env python
"""Benchmark of the PES V2 export (issue 11, `make bench`).

Seeds a throw-away town like bench_invoicing (2,000 households, 5,000 children, a month of
bookings on three services), runs the invoicing (PDFs excluded), then prints beside the run's
time: building the PES_Aller file of the run, validating it against the DGFiP schema, and the
whole export as staff trigger it (file stored, export recorded). The town is dropped at the end.
BENCH_SCALE shrinks the town as for bench_invoicing.
"""

import shutil
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_invoicing import HOUSEHOLDS, MONTH, seed, timed_run  # noqa: E402 - sets Django up
from django.conf import settings  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from tenants.current import activate_public  # noqa: E402


def main() -> None:
    from provisioning.services import town_create, town_drop
    from tenant_apps.accounting import pes
    from tenant_apps.accounting.models import AccountingSettings, ServiceAccounting
    from tenant_apps.accounting.services import pes_content, pes_export_create
    from tenant_apps.billing.models import Invoice, InvoiceRun
    from tenant_apps.catalog.models import Service

    print(f"PES export benchmark: {HOUSEHOLDS} households, invoicing run of {MONTH[0]:%B %Y}")
    town = town_create(slug=f"bench-{uuid.uuid4().hex[:8]}", name="Mairie de Bench")
    try:
        with tenant_context(town):
            seed()
            # The seed names payers "Camille 00000", which the schema rightly refuses (a name of zeros).
            from tenant_apps.families.models import Guardian

            Guardian.objects.update(last_name="MARTIN")
            run_result = timed_run(with_pdfs=False)
            run = InvoiceRun.objects.latest("created_at")
            accounting = AccountingSettings.objects.create(
                id_post="022030", id_coll="21220113700016", cod_col="113", cod_bud="01", fiscal_year=2026)
            for number, service in enumerate(Service.objects.order_by("pk"), start=1):
                ServiceAccounting.objects.create(service=service, cod_prod_loc=f"EN{number:02d}")

            started = time.perf_counter()
            invoices = list(Invoice.objects.filter(run=run).select_related("household").prefetch_related("lines")
                            .order_by("sequence"))
            loaded = time.perf_counter() - started
            pes.schema()  # compiled once per process, like a worker's first export
            started = time.perf_counter()
            content = pes.build(pes.PesInput(
                settings=accounting, town_name=town.name, bordereau_number=1, issued_on=MONTH[1],
                filename="PES.xml", invoices=invoices,
                cod_prod_loc=dict(ServiceAccounting.objects.values_list("service_id", "cod_prod_loc")),
                sepa=lambda invoice: None,
            ))
            built = time.perf_counter() - started
            started = time.perf_counter()
            pes.validate(content)
            validated = time.perf_counter() - started

            started = time.perf_counter()
            pes_content(invoices=invoices, settings=accounting, bordereau_number=1, filename="PES.xml")
            checked = time.perf_counter() - started
            started = time.perf_counter()
            record = pes_export_create(run_id=run.pk)
            whole = time.perf_counter() - started

            print(f"\nInvoicing run (PDFs excluded): {run_result['invoices']} invoices in {run_result['seconds']:.1f} s")
            print(f"PES file of the run: {len(invoices)} titles, {len(content) / 1e6:.1f} MB")
            print(f"  loading the invoices and lines: {loaded:.2f} s")
            print(f"  building the XML:               {built:.2f} s")
            print(f"  validating against the XSD:     {validated:.2f} s")
            print(f"  build + validate:               {built + validated:.2f} s"
                  f" = {100 * (built + validated) / run_result['seconds']:.0f} % of the run's time")
            print(f"  checks + build + validate:      {checked:.2f} s")
            print(f"  whole export as staff trigger it (stored, recorded): {whole:.2f} s,"
                  f" total {record.total} EUR")
    finally:
        activate_public()
        town_drop(town=town)
        shutil.rmtree(Path(settings.MEDIA_ROOT) / town.schema_name, ignore_errors=True)
        print("\nThrow-away town dropped.")


if __name__ == "__main__":
    main()
