"""Invoice PDFs of a run, rendered in parallel by worker processes.

The run's process reads the database and writes the HTML of each invoice (a few milliseconds); a pool
of worker processes (BILLING_PDF_WORKERS, by default one per CPU) turns HTML into PDF bytes with
WeasyPrint (the costly part, with fonts and stylesheet built once per process); the run's process
stores each PDF as it comes back, while it goes on issuing the next invoices.

A worker process that dies (killed, out of memory, a crash in a native library) breaks the pool: the
invoices it left unfinished are sent again to a new pool; an invoice caught in a second breakage is
then rendered alone in a process of its own, so the one that breaks it is found and reported, and
every other invoice still gets its PDF. Nothing waits forever on a dead process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from .. import pdf_worker
from ..models import Invoice

logger = logging.getLogger(__name__)

# Sent to a new pool after a breakage at most this many times; then alone.
POOL_ATTEMPTS = 2
# Invoices in flight per worker process: enough to keep them busy, few enough that the run's
# heartbeat keeps ticking and its memory stays small while the invoices are issued faster.
IN_FLIGHT_PER_WORKER = 4


def pdf_workers() -> int:
    configured = getattr(settings, "BILLING_PDF_WORKERS", 0)
    return configured if configured > 0 else (os.cpu_count() or 1)


def invoice_pdf_store(*, invoice_id: int, content: bytes) -> str:
    """Save a rendered PDF through the town's storage, unless the invoice got one meanwhile."""
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice_id)
        if not locked.pdf:
            locked.pdf.save(f"facture-{locked.number}.pdf", ContentFile(content), save=False)
            Invoice.objects.filter(pk=locked.pk).update(pdf=locked.pdf.name)
        return locked.pdf.name or ""


@dataclass
class _Job:
    invoice_id: int
    household_id: int
    number: str
    html: str
    attempts: int = 0
    pool: ProcessPoolExecutor | None = None  # the pool it was last sent to


@dataclass(frozen=True)
class PdfFailure:
    invoice_id: int
    household_id: int
    number: str


class InvoicePdfs:
    """`add()` an issued invoice, `collect()` the failures of the PDFs done so far; `finish()` waits for
    the rest. With one worker, renders in this process, one after the other."""

    def __init__(self, *, workers: int | None = None) -> None:
        from ..pdf import shared_context, stylesheet

        self.workers = workers or pdf_workers()
        self.css = stylesheet()
        self.shared = shared_context()
        self.pool: ProcessPoolExecutor | None = None
        self.running: dict[Future, _Job] = {}
        self.alone: list[_Job] = []
        self.failures: list[PdfFailure] = []
        self.stored = 0

    # --- the caller's side

    def add(self, invoice: Invoice) -> None:
        from ..pdf import render_invoice_html

        job = _Job(invoice.pk, invoice.household_id, invoice.number, render_invoice_html(invoice, self.shared))
        if self.workers <= 1:
            self._render_here(job)
            return
        while len(self.running) >= self.workers * IN_FLIGHT_PER_WORKER:
            done, _pending = wait(list(self.running), return_when=FIRST_COMPLETED)
            self._harvest(list(done))
        self._submit(job)

    def collect(self) -> list[PdfFailure]:
        """Store the PDFs done so far (without waiting); the failures since the last call."""
        self._harvest([future for future in self.running if future.done()])
        return self._take_failures()

    def finish(self) -> list[PdfFailure]:
        """Wait for every PDF; the failures since the last call. The pool is shut down."""
        try:
            while self.running:
                done, _pending = wait(list(self.running), return_when=FIRST_COMPLETED)
                self._harvest(list(done))
            for job in self.alone:
                self._render_alone(job)
            self.alone = []
        finally:
            self.close()
        return self._take_failures()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    # --- inside

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        # Forked: the workers start at once with WeasyPrint imported; they never touch the database.
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=pdf_worker.worker_start, initargs=(self.css,))

    def _submit(self, job: _Job) -> None:
        if self.pool is None:
            self.pool = self._new_pool(self.workers)
        try:
            future = self.pool.submit(pdf_worker.render_task, job.invoice_id, job.html, self.css)
        except BrokenProcessPool:
            self._restart()
            self._requeue(job)
            return
        job.pool = self.pool
        self.running[future] = job

    def _restart(self) -> None:
        broken, self.pool = self.pool, None
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)

    def _requeue(self, job: _Job) -> None:
        job.attempts += 1
        if job.attempts >= POOL_ATTEMPTS:
            self.alone.append(job)
        else:
            self._submit(job)

    def _harvest(self, futures: list[Future]) -> None:
        broken: list[_Job] = []
        for future in futures:
            job = self.running.pop(future)
            error = future.exception()
            if error is None:
                self._store(job, future.result()[1])
            elif isinstance(error, BrokenProcessPool):
                broken.append(job)
            else:
                self._fail(job, error)
        if broken:
            logger.warning("PDF worker process died: %s invoice(s) sent again", len(broken))
            # Every invoice left in a broken pool comes back broken: the pool is replaced once.
            if any(job.pool is self.pool for job in broken):
                self._restart()
            for job in broken:
                self._requeue(job)

    def _render_here(self, job: _Job) -> None:
        try:
            content = pdf_worker.render(job.html, self.css)
        except Exception as error:  # noqa: BLE001 - reported on the run, the PDF is made on download
            self._fail(job, error)
            return
        self._store(job, content)

    def _render_alone(self, job: _Job) -> None:
        with self._new_pool(1) as solo:
            try:
                _key, content = solo.submit(pdf_worker.render_task, job.invoice_id, job.html, self.css).result()
            except Exception as error:  # noqa: BLE001 - BrokenProcessPool included: this invoice breaks it
                self._fail(job, error)
                return
        self._store(job, content)

    def _store(self, job: _Job, content: bytes) -> None:
        try:
            invoice_pdf_store(invoice_id=job.invoice_id, content=content)
        except Exception as error:  # noqa: BLE001
            self._fail(job, error)
            return
        self.stored += 1

    def _fail(self, job: _Job, error: Any) -> None:
        logger.error("Invoice %s: PDF generation failed: %r", job.number, error)
        self.failures.append(PdfFailure(job.invoice_id, job.household_id, job.number))

    def _take_failures(self) -> list[PdfFailure]:
        failures, self.failures = self.failures, []
        return failures
