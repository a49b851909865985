"""Staff screens of a town (`/<ville>/gestion/`)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tenant_apps.accounts import services as account_services
from tenant_apps.core.clock import town_today
from tenant_apps.core.permissions import staff_required
from tenant_apps.core.refusals import refusal_as_form_error
from tenants.current import require_town

from .checklist import setup_checklist
from .forms import StaffInviteForm
from .selectors import staff_dashboard


@staff_required
def home(request):
    """Tableau de bord: today's services, unread messages, billing, families and documents."""
    today = town_today()
    town = require_town()
    checklist = None if town.is_open else setup_checklist()
    return render(request, "backoffice/home.html", {"dashboard": staff_dashboard(today), "checklist": checklist,
                                                    "portal_town": town})


@staff_required
def staff_list(request):
    """The town's gestionnaires, and the form to invite another one (an e-mailed link)."""
    form = StaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form, "email"):
            account_services.staff_invite(**form.cleaned_data)
            messages.success(
                request,
                _("Invitation envoyée à %(email)s : le lien est valable 7 jours.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("backoffice:staff")
    staff = get_user_model().objects.filter(is_staff=True).order_by("email")
    status = 400 if form.is_bound else 200
    return render(request, "backoffice/staff.html", {"form": form, "staff": staff}, status=status)

