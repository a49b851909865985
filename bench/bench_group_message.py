#!/usr/bin/env python
"""Benchmark of a staff group message to every family of a 5,000-household town (issue 12 §3).

    .venv/bin/python bench/bench_group_message.py

Creates a throw-away town, seeds HOUSEHOLDS households (one guardian with an e-mail address
each), then measures inside one transaction that is rolled back (so no job reaches the broker):

- a baseline: inserting as many conversations in one bulk_create;
- choosing the audience ("all families") and queueing the group message;
- delivering it batch after batch (conversations, messages, progress): time, queries per batch;
- the e-mail jobs of every batch (rendering and sending to Django's in-memory backend).

BENCH_SCALE shrinks the town (0.1: 500 households). The town is dropped at the end.
"""

import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from tenants.current import activate_public  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
HOUSEHOLDS = max(3, round(5000 * SCALE))


class QueryCounter:
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


def seed() -> None:
    from tenant_apps.families.models import Guardian, Household

    households = Household.objects.bulk_create([Household(name=f"FOYER {i:05d}") for i in range(HOUSEHOLDS)])
    Guardian.objects.bulk_create([
        Guardian(household=h, first_name="Camille", last_name=h.name.split()[1], email=f"p{h.pk}@example.org",
                 is_payer=True)
        for h in households
    ])


def measure() -> None:
    from tenant_apps.messaging import audiences, services_staff, tasks
    from tenant_apps.messaging.models import Conversation, GroupMessage, TownService

    service = TownService.objects.create(name="Service enfance")
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        Conversation.objects.bulk_create([
            Conversation(household_id=pk, service=service, subject="x", created_at=now, last_message_at=now)
            for pk in audiences.recipients(code="all").household_ids])
        transaction.set_rollback(True)
    baseline = time.perf_counter() - started
    print(f"\nBaseline: {HOUSEHOLDS} conversations in one bulk_create: {baseline:.2f} s")

    with transaction.atomic():
        started = time.perf_counter()
        recipients = audiences.recipients(code="all")
        group, _created = services_staff.group_message_send(
            author=None, service=service, subject="Grève vendredi", body="Pas de cantine vendredi.\nMerci.",
            recipients=recipients, idempotency_key=uuid.uuid4().hex)
        print(f"Audience chosen and group message queued: {time.perf_counter() - started:.2f} s")

        started, batches, queries = time.perf_counter(), 0, []
        while True:
            with QueryCounter() as counter:
                more = services_staff.group_message_deliver_batch(group_id=group.pk)
            if not more:
                break
            batches += 1
            queries.append(counter.count)
        seconds = time.perf_counter() - started
        group = GroupMessage.objects.get(pk=group.pk)
        print(f"Delivery: {group.sent_count}/{group.recipient_count} households in {batches} batches of "
              f"{services_staff.GROUP_BATCH}, {seconds:.2f} s → {group.sent_count / seconds:.0f} households/s; "
              f"{seconds / baseline:.1f}× the baseline")
        print(f"  queries per batch: {sorted(set(queries))} (constant: {len(set(queries)) == 1})")

        ids = list(Conversation.objects.filter(group=group).order_by("pk").values_list("pk", flat=True))
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        mail.outbox = []
        started = time.perf_counter()
        for start in range(0, len(ids), services_staff.GROUP_BATCH):
            tasks.notify_group_batch.fn(ids[start:start + services_staff.GROUP_BATCH])
        seconds = time.perf_counter() - started
        print(f"E-mail jobs: {len(mail.outbox)} e-mails in {seconds:.2f} s → {len(mail.outbox) / seconds:.0f} e-mails/s"
              " (rendered, in-memory backend)")
        transaction.set_rollback(True)


def main() -> None:
    from provisioning.services import town_create, town_drop

    print(f"Group message benchmark: {HOUSEHOLDS} households (BENCH_SCALE={SCALE})")
    started = time.perf_counter()
    town = town_create(slug=f"bench-{uuid.uuid4().hex[:8]}", name="Mairie de Bench")
    print(f"  town created in {time.perf_counter() - started:.1f} s ({town.schema_name})")
    try:
        with tenant_context(town):
            seed()
            measure()
    finally:
        activate_public()
        town_drop(town=town)


if __name__ == "__main__":
    main()
