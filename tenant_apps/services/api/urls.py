"""API routes of the services app, mounted under /<ville>/api/v1/."""

urlpatterns: list = []
