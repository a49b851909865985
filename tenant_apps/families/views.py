"""Parents' pages of the families app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def profile(request):
    return render(request, "portal/coming_soon.html", {"title": "Mon profil"})


@login_required
def children(request):
    return render(request, "portal/coming_soon.html", {"title": "Mes enfants"})
