"""API routes of the messaging app, mounted under /<ville>/api/v1/."""

urlpatterns: list = []
