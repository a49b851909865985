"""The town's Django admin: every gestionnaire manages every town app; parents and other towns cannot."""

from django.test import Client

from tenant_apps.accounts.models import User


def test_a_gestionnaire_without_permission_rows_manages_every_town_app(town):
    staff = User.objects.create_user("gestion@ville-a.fr", "Gestion-2026!", is_staff=True)
    assert not staff.user_permissions.exists() and not staff.is_superuser
    client = Client()
    client.force_login(staff)

    index = client.get("/ville-a/gestion/admin/").content.decode()
    for app in ("families", "services", "bookings", "billing", "documents", "messaging"):
        assert f'href="/ville-a/gestion/admin/{app}/"' in index, app
    assert client.get("/ville-a/gestion/admin/families/household/add/").status_code == 200
    assert client.get("/ville-a/gestion/admin/bookings/booking/").status_code == 200
    # Platform tables are not the town's business
    assert "/gestion/admin/axes/" not in index and "/gestion/admin/auth/" not in index


def test_a_parent_cannot_enter_the_town_admin(town):
    parent = User.objects.create_user("parent@ville-a.fr", "Parent-2026!")
    client = Client()
    client.force_login(parent)
    response = client.get("/ville-a/gestion/admin/")
    assert response.status_code == 302
    assert "/ville-a/gestion/admin/login/" in response["Location"]
