"""Parents' pages of the portal that belong to no other app: home page, 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "portal/home.html")


def not_found(request, exception=None):
    return render(request, "portal/not_found.html", status=404)
