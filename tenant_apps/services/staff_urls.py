"""Staff (gestionnaire) screens of the services app, mounted under /<ville>/gestion/services/."""

app_name = "services_staff"

urlpatterns: list = []
