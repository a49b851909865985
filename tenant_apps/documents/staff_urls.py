"""Staff (gestionnaire) screens of the documents app, mounted under /<ville>/gestion/documents/."""

app_name = "documents_staff"

urlpatterns: list = []
