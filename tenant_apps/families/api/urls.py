"""API routes of the families app, mounted under /<ville>/api/v1/."""

urlpatterns: list = []
