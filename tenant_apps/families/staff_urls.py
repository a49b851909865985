"""Staff (gestionnaire) screens of the families app, mounted under /<ville>/gestion/families/."""

app_name = "families_staff"

urlpatterns: list = []
