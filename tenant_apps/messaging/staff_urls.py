"""Staff (gestionnaire) screens of the messaging app, mounted under /<ville>/gestion/messaging/."""

app_name = "messaging_staff"

urlpatterns: list = []
