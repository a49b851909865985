"""Parents' pages of the bookings app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def week(request):
    return render(request, "portal/coming_soon.html", {"title": "Réservations"})
