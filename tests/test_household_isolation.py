"""A parent only ever sees their own household: every page and endpoint of the family record
answers 404 for another family's ids, and changes nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tenant_apps.families.demo import DEMO_PDF
from tenant_apps.families.models import (
    Allergy,
    Authorisation,
    Child,
    ChildDocument,
    Guardian,
    Household,
)
from tenant_apps.families.tests.factories import child_with_records
from tests.support.fixtures import Family, TownClient, family_create

pytestmark = pytest.mark.django_db


def one_child_family(name: str, first_name: str) -> Family:
    """A household with one child, who has one of every record (allergy, vaccine, document…)."""
    family = family_create(name, first_name=first_name, children=("Théo",))
    family.records = child_with_records(family.child)  # type: ignore[attr-defined]
    return family


@pytest.fixture
def own(town):
    return one_child_family("ALAIN", "Marie")


@pytest.fixture
def other(town):
    return one_child_family("BERNARD", "Paul")


def signed_in(user) -> TownClient:
    client = TownClient()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def own_client(own):
    """Marie ALAIN's browser."""
    return signed_in(own.user)


# (method, url template, form data). Ids come from the OTHER household: {h} household, {g} guardian,
# {c} child, {a} allergy, {v} vaccine, {e} emergency contact, {p} pickup contact, {d} document.
PAGES = [
    ("get", "/ville-a/mon-profil/modifier/household.city/{h}/", None),
    ("post", "/ville-a/mon-profil/modifier/household.city/{h}/", {"value": "Pirate"}),
    ("get", "/ville-a/mon-profil/modifier/guardian.mobile_phone/{g}/", None),
    ("post", "/ville-a/mon-profil/modifier/guardian.mobile_phone/{g}/", {"value": "0698765432"}),
    ("post", "/ville-a/mon-profil/modifier/child.doctor_name/{c}/", {"value": "Pirate"}),
    ("get", "/ville-a/mes-enfants/{c}/", None),
    ("get", "/ville-a/mes-enfants/{c}/modifier/child.doctor_name/", None),
    ("post", "/ville-a/mes-enfants/{c}/modifier/child.doctor_name/", {"value": "Pirate"}),
    ("post", "/ville-a/mes-enfants/{c}/allergies/ajouter/", {"name": "Pirate"}),
    ("post", "/ville-a/mes-enfants/{c}/allergies/{a}/supprimer/", {}),
    ("post", "/ville-a/mes-enfants/{c}/vaccins/ajouter/", {"name": "Pirate", "given_on": "2020-01-01"}),
    ("post", "/ville-a/mes-enfants/{c}/vaccins/{v}/supprimer/", {}),
    ("post", "/ville-a/mes-enfants/{c}/contacts/urgence/ajouter/", {"name": "Pirate", "phone": "0612345678"}),
    ("post", "/ville-a/mes-enfants/{c}/contacts/urgence/{e}/supprimer/", {}),
    ("post", "/ville-a/mes-enfants/{c}/contacts/sortie/ajouter/", {"name": "Pirate", "phone": "0612345678"}),
    ("post", "/ville-a/mes-enfants/{c}/contacts/sortie/{p}/supprimer/", {}),
    ("post", "/ville-a/mes-enfants/{c}/autorisations/photo/", {"granted": "non"}),
    ("post", "/ville-a/mes-enfants/{c}/documents/ajouter/", "upload"),
    ("get", "/ville-a/mes-enfants/{c}/documents/{d}/", None),
    ("post", "/ville-a/mes-enfants/{c}/documents/{d}/supprimer/", {}),
    # Own child id with another family's sub-record id
    ("post", "/ville-a/mes-enfants/{own_c}/allergies/{a}/supprimer/", {}),
    ("post", "/ville-a/mes-enfants/{own_c}/vaccins/{v}/supprimer/", {}),
    ("post", "/ville-a/mes-enfants/{own_c}/contacts/urgence/{e}/supprimer/", {}),
    ("post", "/ville-a/mes-enfants/{own_c}/contacts/sortie/{p}/supprimer/", {}),
    ("get", "/ville-a/mes-enfants/{own_c}/documents/{d}/", None),
    ("post", "/ville-a/mes-enfants/{own_c}/documents/{d}/supprimer/", {}),
]
API = [
    ("get", "/ville-a/api/v1/guardians/{g}/", None),
    ("patch", "/ville-a/api/v1/guardians/{g}/", {"mobile_phone": "0698765432"}),
    ("get", "/ville-a/api/v1/children/{c}/", None),
    ("patch", "/ville-a/api/v1/children/{c}/", {"doctor_name": "Pirate"}),
    ("get", "/ville-a/api/v1/children/{c}/allergies/", None),
    ("post", "/ville-a/api/v1/children/{c}/allergies/", {"name": "Pirate"}),
    ("delete", "/ville-a/api/v1/children/{c}/allergies/{a}/", None),
    ("delete", "/ville-a/api/v1/children/{own_c}/allergies/{a}/", None),
    ("get", "/ville-a/api/v1/children/{c}/vaccines/", None),
    ("post", "/ville-a/api/v1/children/{c}/vaccines/", {"name": "Pirate", "given_on": "2020-01-01"}),
    ("delete", "/ville-a/api/v1/children/{own_c}/vaccines/{v}/", None),
    ("get", "/ville-a/api/v1/children/{c}/emergency-contacts/", None),
    ("post", "/ville-a/api/v1/children/{c}/emergency-contacts/", {"name": "Pirate", "phone": "0612345678"}),
    ("delete", "/ville-a/api/v1/children/{own_c}/emergency-contacts/{e}/", None),
    ("get", "/ville-a/api/v1/children/{c}/pickup-contacts/", None),
    ("post", "/ville-a/api/v1/children/{c}/pickup-contacts/", {"name": "Pirate", "phone": "0612345678"}),
    ("delete", "/ville-a/api/v1/children/{own_c}/pickup-contacts/{p}/", None),
    ("get", "/ville-a/api/v1/children/{c}/authorisations/", None),
    ("put", "/ville-a/api/v1/children/{c}/authorisations/photo/", {"granted": False}),
    ("get", "/ville-a/api/v1/children/{c}/documents/", None),
    ("post", "/ville-a/api/v1/children/{c}/documents/", "upload"),
    ("get", "/ville-a/api/v1/children/{c}/documents/{d}/", None),
    ("get", "/ville-a/api/v1/children/{own_c}/documents/{d}/", None),
    ("delete", "/ville-a/api/v1/children/{own_c}/documents/{d}/", None),
]


def snapshot(other) -> dict:
    """Everything the other family has, to prove nothing was touched."""
    return {
        "household": list(Household.objects.filter(pk=other.household.pk).values()),
        "guardian": list(Guardian.objects.filter(pk=other.guardian.pk).values()),
        "child": list(Child.objects.filter(pk=other.child.pk).values()),
        "allergies": list(Allergy.objects.filter(child=other.child).values_list("name", flat=True)),
        "vaccines": other.child.vaccines.count(), "emergency": other.child.emergency_contacts.count(),
        "pickup": other.child.pickup_contacts.count(),
        "authorisations": list(Authorisation.objects.filter(child=other.child).values_list("kind", "granted")),
        "documents": ChildDocument.objects.filter(child=other.child).count(),
    }


def ids(family, other) -> dict:  # the family signed in, the other one
    r = other.records
    return {"h": other.household.pk, "g": other.guardian.pk, "c": other.child.pk, "a": r["allergy"].pk,
            "v": r["vaccine"].pk, "e": r["emergency"].pk, "p": r["pickup"].pk, "d": r["document"].pk,
            "own_c": family.child.pk}


def send(client, method, url, data, *, api):
    if data == "upload":
        data = {"title": "Pirate", "file": SimpleUploadedFile("x.pdf", DEMO_PDF)}
        return client.post(url, data)
    if method == "get":
        return client.get(url)
    if api:
        return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")
    return client.post(url, data)


@pytest.mark.parametrize(("method", "template", "data"), PAGES, ids=[f"{m} {u}" for m, u, _ in PAGES])
def test_pages_answer_404_for_another_familys_ids(own_client, own, other, method, template, data):
    before = snapshot(other)
    response = send(own_client, method, template.format(**ids(own, other)), data, api=False)
    assert response.status_code == 404
    assert snapshot(other) == before


@pytest.mark.parametrize(("method", "template", "data"), API, ids=[f"{m} {u}" for m, u, _ in API])
def test_api_endpoints_answer_404_for_another_familys_ids(own_client, own, other, method, template, data):
    before = snapshot(other)
    response = send(own_client, method, template.format(**ids(own, other)), data, api=True)
    assert response.status_code == 404
    assert snapshot(other) == before


def test_lists_only_ever_show_the_own_household(own_client, own, other):
    pages = [own_client.get("/ville-a/mon-profil/"), own_client.get("/ville-a/mes-enfants/")]
    for response in pages:
        assert "ALAIN" in response.content.decode() and "BERNARD" not in response.content.decode()
    household = own_client.get("/ville-a/api/v1/household/").json()
    assert household["id"] == own.household.pk
    assert [g["id"] for g in own_client.get("/ville-a/api/v1/guardians/").json()] == [own.guardian.pk]
    assert [c["id"] for c in own_client.get("/ville-a/api/v1/children/").json()] == [own.child.pk]


@pytest.mark.parametrize("url", ["/ville-a/mon-profil/", "/ville-a/mes-enfants/", "/ville-a/api/v1/household/",
                                 "/ville-a/api/v1/children/"])
def test_a_signed_in_account_without_a_household_gets_404(town, url):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_user("agent@mairie.fr", is_staff=True)
    assert signed_in(staff).get(url).status_code == 404


def test_every_url_of_the_family_record_that_takes_an_id_is_covered_above():
    """Guards this file: a new page or endpoint with an id must be added to PAGES or API."""
    from django.urls import URLResolver, resolve

    from tenant_apps.families import urls as page_urls
    from tenant_apps.families.api import urls as api_urls

    fake = {"h": 1, "g": 1, "c": 1, "a": 1, "v": 1, "e": 1, "p": 1, "d": 1, "own_c": 1}
    covered = {resolve(template.format(**fake).removeprefix("/ville-a"), urlconf="config.urls_town").url_name
               for _method, template, _data in PAGES + API}
    with_ids = {p.name for p in page_urls.urlpatterns + api_urls.urlpatterns
                if not isinstance(p, URLResolver) and "<int:" in str(p.pattern)}
    assert with_ids - covered == set()
