"""API routes of the bookings app, mounted under /<ville>/api/v1/."""

urlpatterns: list = []
