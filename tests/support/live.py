"""End-to-end support: a live server thread, a committed throw-away town, headless Chromium, SMTP capture.

Browser tests need committed data (the server answers from another thread), so they do
not use the rolled-back `db` fixture: `live_town` provisions a real town for the test
and drops it afterwards.
"""

import email
import os
import socket
import threading
import uuid
from email import policy

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection
from django.test.testcases import LiveServerThread

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def live_server_url(django_db_setup):
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def live_db(django_db_setup, django_db_blocker):
    """Autocommit database access for tests that talk to the live server."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        yield
        connection.set_schema_to_public()


@pytest.fixture
def live_town(live_db, live_server_url):
    """A freshly provisioned town, committed, dropped after the test. Yields (town, base_url)."""
    from provisioning.services import town_create, town_drop
    from tenants.opening import town_open

    slug = f"e2e-{uuid.uuid4().hex[:8]}"
    town = town_create(slug=slug, name="Mairie de Testville", zone="B")
    town_open(town=town, by="tests")  # parents sign in: the portal is open
    try:
        yield town, f"{live_server_url}/{slug}"
    finally:
        connection.set_schema_to_public()
        town_drop(town=town)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A page the size of a phone (375×740, touch), for mobile checks."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 375, "height": 740},
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


class CapturedMail:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def bodies(self) -> list[str]:
        out = []
        for message in self.messages:
            part = message.get_body(preferencelist=("plain", "html"))
            out.append(part.get_content() if part else "")
        return out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_capture(settings):
    """A real SMTP server on 127.0.0.1; Django sends through it for the test's duration."""
    from aiosmtpd.controller import Controller

    handler = CapturedMail()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield handler
    finally:
        controller.stop()
