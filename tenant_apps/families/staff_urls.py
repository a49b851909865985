"""Staff (gestionnaire) screens of the families app, mounted under /<ville>/gestion/familles/."""

from django.urls import path

from . import staff_views

app_name = "families_staff"

urlpatterns = [
    path("", staff_views.households, name="households"),
    path("foyers/<int:household_id>/", staff_views.household_detail, name="household"),
    path("responsables/", staff_views.guardians, name="guardians"),
    path("responsables/<int:guardian_id>/inviter/", staff_views.guardian_reinvite, name="guardian_reinvite"),
    path("enfants/", staff_views.children, name="children"),
    path("documents/<int:document_id>/", staff_views.document_download, name="document_download"),
    path("champs-modifiables/", staff_views.field_policy, name="field_policy"),
    path("historique/", staff_views.changes, name="changes"),
    path("import/", staff_views.import_csv, name="import"),
    path("import/inviter/", staff_views.import_invite, name="import_invite"),
]
