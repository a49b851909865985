"""Staff (gestionnaire) screens of the billing app, mounted under /<ville>/gestion/billing/."""

app_name = "billing_staff"

urlpatterns: list = []
