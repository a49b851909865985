"""API routes of the documents app, mounted under /<ville>/api/v1/."""

urlpatterns: list = []
