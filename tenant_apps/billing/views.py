"""Parents' pages of the billing app."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def invoices(request):
    return render(request, "portal/coming_soon.html", {"title": "Mes factures"})
