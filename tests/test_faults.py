"""Fault injection: the cache, the broker or the worker fails under a running deployment.

Every case runs the application as it runs in production, in subprocesses (gunicorn, a
dramatiq worker) configured by environment variables, against real servers the test
starts and kills: a Redis cache, a Redis broker, an SMTP server, PostgreSQL. The harness
is in `tests/support/faults.py`.

Adding a case: take `fault_town` (a committed town; build its data in-process with
`tenant_context(fault_town)` and the apps' factories), `stack` and whichever of
`cache_server`, `broker_server`, `mail_server` the story needs. Start what the case needs
(`stack.web().start()`, `worker = stack.worker().start()`, optionally with environment
overrides), act as a user would (`requests` against `stack.web_url`) or put a message on the
broker (`enqueue`), break something (`broker_server.kill()`, `cache_server.kill()`,
`worker.kill()`: SIGKILL), bring it back (`.start()`), then wait for what a user would notice
(`wait_until(...)`: an e-mail in `mail_server.messages`, a row in the database) and read
`worker.log()` for what the process said. Every process and server is killed after the test.
"""

import datetime as dt
import re
from decimal import Decimal

import dramatiq
import psycopg
import pytest
import redis
import requests
from django.db import connection
from django_tenants.utils import tenant_context
from dramatiq.brokers.redis import RedisBroker

from tenants.current import activate_public
from tenants.jobs import SCHEMA_OPTION
from tests.support.database import database_url
from tests.support.faults import wait_until

pytestmark = pytest.mark.faults

PARENT = "claire.alain@example.org"


# --- helpers --------------------------------------------------------------------------------

def seed_parent(town) -> None:
    from tenant_apps.accounts.services import account_for_guardian
    from tenant_apps.families.models import Guardian, Household

    with tenant_context(town):
        household = Household.objects.create(name="ALAIN")
        user = account_for_guardian(email=PARENT, first_name="Claire", last_name="Alain")
        Guardian.objects.create(household=household, user=user, first_name="Claire", last_name="Alain", email=PARENT)


def ask_for_a_new_password(stack, town, email: str = PARENT) -> requests.Response:
    """What a parent does on "Nouveau mot de passe": open the form, type their address, Valider."""
    browser = requests.Session()
    url = f"{stack.web_url}/{town.slug}/nouveau-mot-de-passe/"
    form = browser.get(url, timeout=30)
    assert form.status_code == 200, explain(form)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token is not None, explain(form)
    return browser.post(url, data={"csrfmiddlewaretoken": token.group(1), "email": email}, headers={"Referer": url},
                        timeout=30)


def explain(response: requests.Response) -> str:
    """The status and, for a debug error page, the exception's title: a short failure message."""
    title = re.search(r"<title>(.*?)</title>", response.text, re.S)
    return f"{response.status_code} {title.group(1).strip() if title else response.text[:300]}"


def mails_to(mail_server, address: str) -> list:
    return [m for m in mail_server.messages if address in m["To"]]


def enqueue(broker_server, actor_name: str, *args, schema: str, **options) -> None:
    """Put a message on the deployment's broker as a web process would (for cases that must not
    go through the web process)."""
    client = RedisBroker(url=broker_server.url(0), middleware=[])
    try:
        client.enqueue(dramatiq.Message(queue_name="default", actor_name=actor_name, args=args, kwargs={},
                                        options={SCHEMA_OPTION: schema, **options}))
    finally:
        client.close()


def open_online_payment(town):
    """An issued invoice of 79.20 € and its online payment, opened and waiting for the provider."""
    from shared_apps.payments.gateway import dummy_signed_query
    from shared_apps.payments.services import payment_config_set
    from tenant_apps.billing.services import household_invoice_issue, payment_start
    from tenant_apps.billing.tests.factories import TariffFactory
    from tenant_apps.bookings.tests.factories import book, school_days
    from tenant_apps.catalog.tests.factories import ServiceFactory
    from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory, HouseholdFactory

    payment_config_set(town=town, backend="dummy", params={}, enabled=True)
    with tenant_context(town):
        household = HouseholdFactory(name="ALAIN")
        GuardianFactory(household=household, first_name="Claire", user__email=PARENT)
        theo = ChildFactory(household=household, first_name="Théo")
        canteen = ServiceFactory(name="Repas Enfant")
        TariffFactory(service=canteen, unit_price=Decimal("3.30"))
        book(theo, canteen, school_days(dt.date(2019, 4, 1), dt.date(2019, 4, 30), weekdays=range(6))[:24])
        invoice = household_invoice_issue(household_id=household.pk, period_start=dt.date(2019, 4, 1),
                                          period_end=dt.date(2019, 4, 30))
        started = payment_start(invoice=invoice, payer_email=PARENT)
        tx = started.transaction
        query = dummy_signed_query(town.schema_name, transaction_id=tx.provider_reference, amount=str(tx.amount),
                                   paid=True)
    connection.set_schema_to_public()
    return invoice, query


# --- the cache is down ----------------------------------------------------------------------

def test_towns_answer_while_the_cache_is_down_and_healthz_says_so(fault_town, stack, cache_server):
    stack.web().start()
    login = f"{stack.web_url}/{fault_town.slug}/connexion/"
    assert requests.get(login, timeout=30).status_code == 200

    # When the cache server dies
    cache_server.kill()

    # Then the town's pages still answer (a cache error is a cache miss), an unknown town is still a 404
    page = requests.get(login, timeout=30)
    assert page.status_code == 200, explain(page)
    assert requests.get(f"{stack.web_url}/nulle-part/", timeout=30).status_code == 404
    # And /healthz tells the load balancer's monitoring which part is down
    health = requests.get(f"{stack.web_url}/healthz", timeout=30)
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "database": True, "broker": True, "cache": False}

    # When the cache comes back, everything is green again
    cache_server.start()
    assert requests.get(login, timeout=30).status_code == 200
    assert requests.get(f"{stack.web_url}/healthz", timeout=30).json()["status"] == "ok"


def test_a_job_runs_in_its_town_while_the_cache_is_down(fault_town, stack, cache_server, mail_server):
    seed_parent(fault_town)
    stack.web().start()
    stack.worker().start()
    cache_server.kill()

    # When a parent asks for a new password while the cache is down
    answer = ask_for_a_new_password(stack, fault_town)

    # Then they see the usual page, and the e-mail comes from their town with a link into it
    assert answer.status_code == 200, explain(answer)
    assert "Vérifiez votre messagerie" in answer.text
    [mail] = wait_until(lambda: mails_to(mail_server, PARENT), what="the password e-mail")
    assert "Mairie de Pannes-sur-Mer" in mail["Subject"]
    assert f"/{fault_town.slug}/mot-de-passe/" in mail.get_body(preferencelist=("plain",)).get_content()


def test_a_job_whose_town_lookup_fails_waits_and_never_runs_outside_its_town(
    fault_town, stack, cache_server, broker_server, mail_server
):
    seed_parent(fault_town)
    # The worker gives up on a lock after 1 s, and finds no town in the (dead) cache
    worker = stack.worker(DATABASE_URL=f"{database_url()}?options=-c%20lock_timeout%3D1000").start()
    cache_server.kill()

    # Given the towns table is locked (a migration, a long transaction), the lookup of the town fails
    with psycopg.connect(database_url().replace("postgres://", "postgresql://", 1)) as blocker:
        blocker.execute("LOCK TABLE public.tenants_town IN ACCESS EXCLUSIVE MODE")
        enqueue(broker_server, "send_password_link", PARENT, "reset", schema=fault_town.schema_name)
        wait_until(lambda: "will be retried" in worker.log(since_start=True), what="the refusal in the worker's log")
        # Then the job did not run (in public or anywhere): no e-mail
        assert mails_to(mail_server, PARENT) == []
    # the lock is released here

    # When the retry comes, the town is found and the e-mail goes out, once
    [mail] = wait_until(lambda: mails_to(mail_server, PARENT), seconds=90, what="the retried e-mail")
    assert "Mairie de Pannes-sur-Mer" in mail["Subject"]


def test_a_message_for_an_unknown_town_is_dead_lettered_not_run(stack, broker_server, mail_server, live_db):
    worker = stack.worker().start()
    enqueue(broker_server, "send_password_link", PARENT, "reset", schema="town_nowhere")
    wait_until(lambda: "Refused message" in worker.log(since_start=True), what="the refusal")
    dead = redis.Redis.from_url(broker_server.url(0))
    wait_until(lambda: dead.zcard("dramatiq:default.XQ") == 1, what="the message in the dead-letter queue")
    assert mails_to(mail_server, PARENT) == []


# --- the broker is down ---------------------------------------------------------------------

def test_a_parent_asks_for_a_new_password_while_the_broker_is_down(fault_town, stack, broker_server, mail_server):
    seed_parent(fault_town)
    stack.web().start()
    stack.worker().start()

    # When the broker is down and the parent asks for a new password
    broker_server.kill()
    answer = ask_for_a_new_password(stack, fault_town)

    # Then they see the usual page, and nothing is sent yet
    assert answer.status_code == 200, explain(answer)
    assert "Vérifiez votre messagerie" in answer.text
    assert mails_to(mail_server, PARENT) == []

    # When the broker is back and the outbox is dispatched, the e-mail arrives, once
    broker_server.start()
    dispatch = stack.manage("dispatch_outbox")
    assert dispatch.returncode == 0, dispatch.stderr
    assert "1 message" in dispatch.stdout
    [mail] = wait_until(lambda: mails_to(mail_server, PARENT), seconds=60, what="the password e-mail")
    assert f"/{fault_town.slug}/mot-de-passe/" in mail.get_body(preferencelist=("plain",)).get_content()
    # And dispatching again sends nothing twice
    assert "0 message" in stack.manage("dispatch_outbox").stdout


def test_a_payment_notified_while_the_broker_is_down_is_recorded_and_confirmed_later(
    fault_town, stack, broker_server, mail_server
):
    from tenant_apps.billing.models import Invoice

    invoice, signed_query = open_online_payment(fault_town)
    stack.web().start()
    stack.worker().start()

    # When the provider notifies the payment while the broker is down
    broker_server.kill()
    answer = requests.post(f"{stack.web_url}/{fault_town.slug}/paiement/notification/", data=signed_query,
                           headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)

    # Then the provider gets its acknowledgement and the invoice is paid
    assert answer.status_code == 200, explain(answer)
    with tenant_context(fault_town):
        invoice.refresh_from_db()
        assert (invoice.status, invoice.amount_paid) == (Invoice.Status.PAID, Decimal("79.20"))
    assert mails_to(mail_server, PARENT) == []

    # When the broker is back, the confirmation e-mail goes out
    broker_server.start()
    assert stack.manage("dispatch_outbox").returncode == 0
    [mail] = wait_until(lambda: mails_to(mail_server, PARENT), seconds=60, what="the payment confirmation")
    assert invoice.number in mail["Subject"]


# --- the worker is killed -------------------------------------------------------------------

def test_an_email_asked_while_the_worker_is_dead_goes_out_when_a_worker_returns(fault_town, stack, mail_server):
    seed_parent(fault_town)
    stack.web().start()
    worker = stack.worker().start()

    # When the worker is SIGKILLed and a parent asks for a new password meanwhile
    worker.kill()
    answer = ask_for_a_new_password(stack, fault_town)
    assert answer.status_code == 200, explain(answer)
    assert "Vérifiez votre messagerie" in answer.text

    # Then the message waits on the broker, and the e-mail goes out once a worker runs again
    worker.start()
    [mail] = wait_until(lambda: mails_to(mail_server, PARENT), seconds=60, what="the password e-mail")
    assert "Mairie de Pannes-sur-Mer" in mail["Subject"]


# --- an invoicing run started while the broker is down ----------------------------------------

STAFF = "agent@pannes-sur-mer.fr"
STAFF_PASSWORD = "Facturation-du-mois-2019"


def post_form(browser: requests.Session, url: str, data: dict) -> requests.Response:
    """Open the page holding a form, then send it as the browser would (with its CSRF token)."""
    page = browser.get(url, timeout=30)
    assert page.status_code == 200, explain(page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None, explain(page)
    return browser.post(url, data={"csrfmiddlewaretoken": token.group(1), **data}, headers={"Referer": url},
                        timeout=30)


def seed_canteen_month(town, families: int) -> None:
    """`families` families who ate at the canteen in April 2019, and a staff member who can sign in."""
    from django.contrib.auth.hashers import make_password

    from tenant_apps.accounts.models import User
    from tenant_apps.billing.tests.factories import TariffFactory
    from tenant_apps.bookings.tests.factories import book, school_days
    from tenant_apps.catalog.tests.factories import ServiceFactory
    from tenant_apps.families.tests.factories import ChildFactory, GuardianFactory

    with tenant_context(town):
        canteen = ServiceFactory(name="Repas Enfant")
        TariffFactory(service=canteen, unit_price=Decimal("3.30"))
        for _ in range(families):
            child = ChildFactory()
            GuardianFactory(household=child.household)
            book(child, canteen, school_days(dt.date(2019, 4, 1), dt.date(2019, 4, 30))[:4])
        # Hashed as the deployment checks it (the test settings' MD5 is unknown to the web process)
        User.objects.create(email=STAFF, is_staff=True, password=make_password(STAFF_PASSWORD, hasher="argon2"))
    activate_public()


def staff_browser(stack, town) -> requests.Session:
    browser = requests.Session()
    signed_in = post_form(browser, f"{stack.web_url}/{town.slug}/connexion/",
                          {"username": STAFF, "password": STAFF_PASSWORD})
    assert signed_in.status_code == 200, explain(signed_in)
    return browser


def the_run(town):
    from tenant_apps.billing.models import InvoiceRun

    with tenant_context(town):
        run = InvoiceRun.objects.get()
    connection.set_schema_to_public()
    return run


def test_staff_start_an_invoicing_run_while_the_broker_is_down_and_it_runs_when_it_is_back(
    fault_town, stack, broker_server
):
    from tenant_apps.billing.models import Invoice, InvoiceRun

    # Given three families who ate at the canteen in April 2019, and a staff member
    seed_canteen_month(fault_town, families=3)
    stack.web().start()
    stack.worker().start()
    browser = staff_browser(stack, fault_town)

    # When the broker is down and staff start invoicing April
    broker_server.kill()
    started = post_form(browser, f"{stack.web_url}/{fault_town.slug}/gestion/facturation/",
                        {"period_start": "2019-04-01", "period_end": "2019-04-30"})

    # Then they land on the run's page, which says it waits for the worker
    assert started.status_code == 200, explain(started)
    assert "La facturation est lancée" in started.text, explain(started)
    assert "En attente du service de traitement" in started.text
    assert the_run(fault_town).status == InvoiceRun.Status.PENDING

    # When the broker is back and the outbox is dispatched, the run is carried out, once
    broker_server.start()
    assert stack.manage("dispatch_outbox").returncode == 0
    run = wait_until(lambda: (r := the_run(fault_town)).status == InvoiceRun.Status.DONE and r,
                     seconds=90, what="the invoicing run done")
    assert (run.households_total, run.households_done, run.invoices_created) == (3, 3, 3)
    with tenant_context(fault_town):
        assert Invoice.objects.count() == 3
    connection.set_schema_to_public()


def test_an_invoicing_run_whose_worker_is_killed_is_resumed_by_staff_and_counts_every_family(
    fault_town, stack
):
    from tenant_apps.billing.models import Invoice, InvoiceRun

    # Given sixty families who ate at the canteen in April 2019
    seed_canteen_month(fault_town, families=60)
    stack.web().start()
    worker = stack.worker().start()
    browser = staff_browser(stack, fault_town)
    runs_page = f"{stack.web_url}/{fault_town.slug}/gestion/facturation/"

    # When staff start invoicing April (with PDFs) and the worker is killed in the middle
    started = post_form(browser, runs_page, {"period_start": "2019-04-01", "period_end": "2019-04-30",
                                             "with_pdfs": "on"})
    assert started.status_code == 200, explain(started)
    wait_until(lambda: the_run(fault_town).households_done >= 3, seconds=60, what="the run under way")
    worker.kill()
    stopped = the_run(fault_town)
    assert stopped.status == InvoiceRun.Status.RUNNING
    assert 0 < stopped.households_done < 60

    # And its job gave no sign of life for over a minute (time moved on)
    with tenant_context(fault_town):
        InvoiceRun.objects.update(heartbeat_at=stopped.heartbeat_at - dt.timedelta(minutes=2),
                                  created_at=stopped.created_at - dt.timedelta(minutes=2))
    connection.set_schema_to_public()
    run_page = browser.get(f"{runs_page}facturations/{stopped.pk}/", timeout=30)
    assert "ne donne plus signe de vie" in run_page.text

    # When a worker is back and staff click "Reprendre"
    worker.start()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', run_page.text)
    assert token is not None, explain(run_page)
    resumed = browser.post(f"{runs_page}facturations/{stopped.pk}/reprendre/",
                           data={"csrfmiddlewaretoken": token.group(1)}, headers={"Referer": run_page.url}, timeout=30)
    assert resumed.status_code == 200, explain(resumed)

    # Then the run finishes with every family counted once, never going back, and says it resumed
    seen = [stopped.households_done]

    def done():
        run = the_run(fault_town)
        seen.append(run.households_done)
        return run.status in (InvoiceRun.Status.DONE, InvoiceRun.Status.DONE_WITH_ERRORS) and run

    run = wait_until(done, seconds=120, what="the resumed run done")
    assert seen == sorted(seen)
    assert (run.households_total, run.households_done, run.invoices_created) == (60, 60, 60)
    assert run.resumed_at is not None
    with tenant_context(fault_town):
        assert Invoice.objects.count() == 60
    connection.set_schema_to_public()
    final_page = browser.get(f"{runs_page}facturations/{run.pk}/", timeout=30)
    assert "la facturation a repris le" in final_page.text
