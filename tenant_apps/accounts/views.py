"""Sign-in, sign-out and password creation pages of a town's portal."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import services
from .forms import LoginForm, PasswordCreateForm, PasswordResetRequestForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout(request, credentials=None, *args, **kwargs):
    """Shown by django-axes when an account or an address has failed too many times."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    retry_at = timezone.localtime(timezone.now() + timezone.timedelta(minutes=minutes))
    return render(
        request,
        "accounts/locked.html",
        {"minutes": minutes, "retry_at": retry_at, "form": LoginForm(request)},
        status=429,
    )


@require_http_methods(["GET", "POST"])
def password_reset_request(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        return render(request, "accounts/password_reset_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/password_reset_request.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_create(request, token):
    try:
        link = services.access_link_get(token=token)
    except services.LinkInvalid as error:
        return render(request, "accounts/link_invalid.html", {"error": error}, status=410)
    form = PasswordCreateForm(request.POST or None, user=link.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set_with_link(token=token, password=form.cleaned_data["password1"])
        except services.LinkInvalid as error:
            return render(request, "accounts/link_invalid.html", {"error": error}, status=410)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            messages.success(request, "Votre mot de passe a été créé. Vous pouvez maintenant vous connecter.")
            return redirect("accounts:login")
    return render(request, "accounts/password_create.html", {"form": form, "link_user": link.user})
