"""API routes of the billing app, mounted under /<ville>/api/v1/."""

urlpatterns: list = []
