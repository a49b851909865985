"""Staff decide which fields parents may edit; the server refuses the others; sensitive edits are audited."""

import pytest

from .. import errors, services
from ..models import FieldChange, FieldPolicy

pytestmark = pytest.mark.django_db


def test_defaults_keep_the_quotient_familial_and_the_school_placement_read_only(town):
    policies = services.field_policies()
    assert not policies["household.family_quotient"].editable_by_parents
    assert not policies["child.school_placement"].editable_by_parents
    assert policies["guardian.mobile_phone"].editable_by_parents and policies["guardian.mobile_phone"].audited
    assert policies["guardian.email"].audited and policies["household.postcode"].audited


def test_a_parent_cannot_change_the_quotient_familial_even_by_posting_directly(parent_client, family):
    response = parent_client.post(f"/ville-a/mon-profil/modifier/household.family_quotient/{family.household.pk}/",
                                  {"value": "1"})
    assert response.status_code == 403
    assert "ne peut être modifié que par les services de la mairie" in response.content.decode()
    family.household.refresh_from_db()
    assert family.household.family_quotient == 850


def test_the_service_refuses_a_read_only_field_for_a_parent_but_not_for_staff(family):
    with pytest.raises(errors.FieldReadOnly):
        services.field_update(actor=family.guardian.user, obj=family.household, key="household.family_quotient",
                              value=1)
    services.field_update(actor=None, obj=family.household, key="household.family_quotient", value=1200,
                          as_parent=False)
    family.household.refresh_from_db()
    assert family.household.family_quotient == 1200


def test_staff_make_a_field_read_only_on_their_screen_and_parents_lose_the_pencil(staff_client, parent_client, family):
    # Given the staff uncheck "modifiable" for the mobile phone on the policy screen
    page = staff_client.get("/ville-a/gestion/familles/champs-modifiables/")
    assert page.status_code == 200 and "Téléphone portable" in page.content.decode()
    data = {}
    for key, policy in services.field_policies().items():
        if policy.editable_by_parents and key != "guardian.mobile_phone":
            data[f"{key}__editable"] = "on"
        if policy.audited:
            data[f"{key}__audited"] = "on"
    assert staff_client.post("/ville-a/gestion/familles/champs-modifiables/", data).status_code == 302
    assert FieldPolicy.objects.get(key="guardian.mobile_phone").editable_by_parents is False
    # Then the parent no longer sees the pencil, and a direct post is refused
    assert 'aria-label="Modifier Téléphone portable"' not in parent_client.get("/ville-a/mon-profil/").content.decode()
    response = parent_client.post(f"/ville-a/mon-profil/modifier/guardian.mobile_phone/{family.guardian.pk}/",
                                  {"value": "06 98 76 54 32"})
    assert response.status_code == 403
    family.guardian.refresh_from_db()
    assert family.guardian.mobile_phone == "06 12 34 56 78"


def test_staff_open_the_school_placement_and_parents_can_be_refused_collections(family):
    services.field_policy_set(key="child.allergies", editable_by_parents=False, audited=True)
    with pytest.raises(errors.FieldReadOnly):
        services.allergy_add(actor=family.guardian.user, child=family.child, name="Kiwi")


def test_unaudited_fields_leave_no_trace_and_audited_ones_record_who_when_old_and_new(family):
    user = family.guardian.user
    services.field_update(actor=user, obj=family.guardian, key="guardian.profession", value="Boulangère")
    assert not FieldChange.objects.exists()
    services.field_update(actor=user, obj=family.guardian, key="guardian.mobile_phone", value="0698765432")
    change = FieldChange.objects.get()
    assert change.changed_by == user and change.household == family.household
    assert change.subject == "ALAIN Marie"
    assert (change.old_value, change.new_value) == ("06 12 34 56 78", "06 98 76 54 32")
    assert change.changed_at is not None


def test_the_audit_trail_is_visible_to_staff_on_their_screen_and_in_the_admin(staff_client, family):
    services.field_update(actor=family.guardian.user, obj=family.household, key="household.postcode", value="22700")
    screen = staff_client.get("/ville-a/gestion/familles/historique/").content.decode()
    assert "household.postcode" in screen and "22300" in screen and "22700" in screen
    detail = staff_client.get(f"/ville-a/gestion/familles/foyers/{family.household.pk}/").content.decode()
    assert "22700" in detail
    admin = staff_client.get("/ville-a/gestion/admin/families/fieldchange/")
    assert admin.status_code == 200 and "22700" in admin.content.decode()


def test_parents_do_not_reach_the_staff_screens(parent_client):
    response = parent_client.get("/ville-a/gestion/familles/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_staff_search_households_guardians_and_children(staff_client, family, other_family, records):
    body = staff_client.get("/ville-a/gestion/familles/?q=bernard").content.decode()
    assert "BERNARD" in body and "ALAIN" not in body
    assert "marie.alain@exemple.fr" in staff_client.get("/ville-a/gestion/familles/responsables/?q=marie").content.decode()
    assert "Théo" in staff_client.get("/ville-a/gestion/familles/enfants/?q=CM1").content.decode()
    admin = staff_client.get("/ville-a/gestion/admin/families/household/?q=Th%C3%A9o")
    assert admin.status_code == 200 and "ALAIN" in admin.content.decode()
