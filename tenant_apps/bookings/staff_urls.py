"""Staff (gestionnaire) screens of the bookings app, mounted under /<ville>/gestion/bookings/."""

app_name = "bookings_staff"

urlpatterns: list = []
