"""Test helpers shared by the portal, documents and messaging apps: families, staff, a client
that speaks to one town and comes back into its schema after each request, small real files."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tenant_apps.accounts.models import User
from tenant_apps.families.models import Child, Guardian, Household

# The smallest files whose first bytes say what they are.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def pdf_upload(name="menu.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_family(name="ALAIN", *, children=("Théo", "Anna"), email=None, first_name="Marie") -> tuple[User, Household]:
    household = Household.objects.create(name=name, address_line="3 rue des Écoles", postcode="22300", city="Lannion")
    email = email or f"{first_name.lower()}.{name.lower()}@example.org"
    user = User.objects.create_user(email, password="Tartine-2-Confiture", first_name=first_name, last_name=name)
    Guardian.objects.create(household=household, user=user, first_name=first_name, last_name=name, email=email)
    for index, child in enumerate(children):
        Child.objects.create(household=household, first_name=child, last_name=name,
                             birth_date=datetime.date(2015 + index % 5, 1 + index % 12, 10))
    return user, household


def make_staff(email="agent@mairie.example") -> User:
    return User.objects.create_user(email, password="Tartine-2-Confiture", is_staff=True, first_name="Agnès",
                                    last_name="Agent")


class TownClient:
    """Django's test client for one town: paths are relative to `/<slug>`; after each request the
    test's connection is put back into the town's schema (the routing middleware resets it)."""

    def __init__(self, client, town):
        self.client = client
        self.town = town

    def login(self, user):
        self.client.force_login(user)
        connection.set_tenant(self.town)

    def _back(self, response):
        connection.set_tenant(self.town)
        return response

    def get(self, path, *args, **kwargs):
        return self._back(self.client.get(f"/{self.town.slug}{path}", *args, **kwargs))

    def post(self, path, *args, **kwargs):
        return self._back(self.client.post(f"/{self.town.slug}{path}", *args, **kwargs))


@pytest.fixture
def town_client(client, in_town_a):
    return TownClient(client, in_town_a)


@pytest.fixture
def family(in_town_a):
    return make_family()


@pytest.fixture
def staff(in_town_a):
    return make_staff()
