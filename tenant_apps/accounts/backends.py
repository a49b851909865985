"""Town staff (gestionnaires) hold every permission on their town's own data.

There is one staff role per town, so per-model permission rows would only be noise: in a
town's schema an active staff account may view and change every town model in the admin
(admins still refuse what the domain forbids, e.g. deleting an invoice). Operators in the
public schema keep Django's ordinary permissions.
"""

from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django_tenants.utils import get_public_schema_name

from tenants.current import current_schema


def _town_app_labels() -> frozenset[str]:
    from django.apps import apps

    shared = set(settings.SHARED_APPS)
    return frozenset(
        config.label for config in apps.get_app_configs()
        if config.name in settings.TENANT_APPS and (config.name not in shared or config.name.startswith("tenant_apps."))
    )


class TownStaffBackend(BaseBackend):
    def _is_town_staff(self, user) -> bool:
        return (user.is_active and user.is_staff and current_schema() != get_public_schema_name())

    def has_perm(self, user_obj, perm, obj=None):
        return self._is_town_staff(user_obj) and perm.split(".", 1)[0] in _town_app_labels()

    def has_module_perms(self, user_obj, app_label):
        return self._is_town_staff(user_obj) and app_label in _town_app_labels()
