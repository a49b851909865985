"""Town staff (gestionnaires) manage these models in the town admin without per-model Django permissions:
being staff of the town is the permission (the site itself checks `is_staff`)."""


class TownStaffAccess:
    def _staff(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self._staff(request)

    def has_view_permission(self, request, obj=None):
        return self._staff(request)

    def has_add_permission(self, request, *args):
        return self._staff(request)

    def has_change_permission(self, request, obj=None):
        return self._staff(request)

    def has_delete_permission(self, request, obj=None):
        return self._staff(request)
