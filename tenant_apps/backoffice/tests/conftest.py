from tenant_apps.portal.tests.fixtures import family, staff, town_client  # noqa: F401
