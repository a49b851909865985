"""Staff screen of the portal app: the town's contact details, logo and welcome text."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tenant_apps.core import services
from tenant_apps.core.errors import UploadRejected
from tenant_apps.core.models import TownProfile
from tenant_apps.core.permissions import staff_required
from tenant_apps.core.text import TextTooLong
from tenants.current import require_town

from .forms import TownProfileForm


@staff_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = services.town_profile_ensure(display_name=require_town().name)
    form = TownProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.town_profile_update(profile=TownProfile.objects.get(pk=profile.pk), **data)
        except UploadRejected as error:
            form.add_error("logo", error.message)
        except TextTooLong as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Le portail est à jour."))
            return redirect("portal_staff:profile")
    return render(request, "portal/staff/profile.html", {"form": form, "profile": profile})
