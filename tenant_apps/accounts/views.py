"""Sign-in, sign-out, password creation and login e-mail confirmation pages of a town's portal."""

import math

from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from tenant_apps.core.permissions import is_staff_only
from tenants.errors import DomainError

from . import email_change, errors, services
from .forms import LoginForm, PassphraseForm, PasswordCreateForm, PasswordResetRequestForm
from .generators import generate_password
from .passphrase import passphrase_convert
from .password_policy import SAME_RULE_LABEL, checklist, common_passwords
from .throttling import lock_lifts_at


def _locked_message(*, minutes: int, retry_at: str) -> str:
    return ngettext(
        "Trop de tentatives de connexion ont échoué depuis cet appareil ou ce réseau. Par sécurité, la "
        "connexion y est bloquée pendant %(minutes)s minute : réessayez à partir de %(time)s. Depuis un "
        "autre réseau (par exemple les données mobiles de votre téléphone), vous pouvez vous connecter.",
        "Trop de tentatives de connexion ont échoué depuis cet appareil ou ce réseau. Par sécurité, la "
        "connexion y est bloquée pendant %(minutes)s minutes : réessayez à partir de %(time)s. Depuis un "
        "autre réseau (par exemple les données mobiles de votre téléphone), vous pouvez vous connecter.",
        minutes,
    ) % {"minutes": minutes, "time": retry_at}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.get_redirect_url():
            # Signed in, but sent here by a page this account may not open (a parent on a
            # staff page): show the form instead of bouncing back, which would loop.
            self.redirect_authenticated_user = False
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self):
        """Without a `next`: a gestionnaire with no family of their own lands on the staff dashboard."""
        if is_staff_only(self.request.user):
            return reverse("backoffice:home")
        return super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses a GET): a link cannot sign someone out."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Vous êtes déconnecté."))
        return response


def lockout(request, original_response=None, credentials=None, *args, **kwargs):
    """Shown by django-axes when this address, or this account from this address, has failed
    too many times. The retry time is when the lock lifts: refused tries do not extend it."""
    lifts_at = lock_lifts_at(request, credentials)
    seconds = max(1, math.ceil((lifts_at - timezone.now()).total_seconds()))
    minutes = math.ceil(seconds / 60)
    retry_at = timezone.localtime(lifts_at)
    message = _locked_message(minutes=minutes, retry_at=retry_at.strftime("%H:%M"))
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"code": "locked_out", "detail": message}, status=429)
    else:
        response = render(
            request,
            "accounts/locked.html",
            {"message": message, "minutes": minutes, "retry_at": retry_at},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_request(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        # Same redirect for every address: nothing tells whether it has an account.
        return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset_request.html", {"form": form})


@require_GET
def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html")


def _link_invalid(request, error):
    response = render(request, "accounts/link_invalid.html", {"error": error}, status=410)
    if request.htmx:
        # An htmx call from a page whose link has just expired: reload it, the page says why.
        response["HX-Refresh"] = "true"
    return response


def _fully_valid(password: str, user) -> list[str]:
    """The messages of every password validator (policy, common passwords, similarity)."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return list(error.messages)
    return []


def _generated_for(user) -> str:
    # A random 12-character password practically always passes; the loop guards the rest
    # (e.g. a password that would resemble the e-mail address).
    while True:
        candidate = generate_password()
        if not _fully_valid(candidate, user):
            return candidate


def _page(request, *, token, link, form=None, generated=None, phrase_form=None, conversion=None,
          conversion_errors=None, status=200):
    context = {
        "token": token,
        "link_user": link.user,
        "form": form or PasswordCreateForm(user=link.user),
        "checklist": checklist(link.user),
        "same_rule_label": SAME_RULE_LABEL,
        "generated": generated,
        "phrase_form": phrase_form or PassphraseForm(),
        "conversion": conversion,
        "conversion_errors": conversion_errors or [],
    }
    return render(request, "accounts/password_create.html", context, status=status)


@never_cache
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def password_create(request, token):
    """"Je crée mon nouveau mot de passe": type one, or submit a generated or converted one."""
    try:
        link = services.access_link_get(token=token)
    except errors.LinkInvalid as error:
        return _link_invalid(request, error)
    form = PasswordCreateForm(request.POST or None, user=link.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set_with_link(token=token, password=form.cleaned_data["password1"])
        except errors.LinkInvalid as error:
            return _link_invalid(request, error)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            messages.success(request, _("Votre mot de passe a été créé. Vous pouvez maintenant vous connecter."))
            return redirect("accounts:login")
    status = 400 if form.is_bound else 200
    return _page(request, token=token, link=link, form=form, status=status)


@require_GET
@gzip_page
def common_passwords_list(request):
    """The list the checklist's "mot de passe courant" line checks against (public data)."""
    response = JsonResponse(common_passwords(), safe=False)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
@vary_on_headers("HX-Request")
@require_POST
def password_generate(request, token):
    """"Générer un mot de passe automatiquement" (and REGÉNÉRER): a fragment for htmx, else the page."""
    try:
        link = services.access_link_get(token=token)
    except errors.LinkInvalid as error:
        return _link_invalid(request, error)
    generated = _generated_for(link.user)
    if request.htmx:
        return render(request, "accounts/_generated.html", {"token": token, "generated": generated})
    return _page(request, token=token, link=link, generated=generated)


@never_cache
@vary_on_headers("HX-Request")
@require_POST
def password_from_phrase(request, token):
    """"Générer un mot de passe à partir d'une phrase": the result and the rules it misses."""
    try:
        link = services.access_link_get(token=token)
    except errors.LinkInvalid as error:
        return _link_invalid(request, error)
    phrase_form = PassphraseForm(request.POST)
    conversion, conversion_errors, status = None, [], 200
    if phrase_form.is_valid():
        conversion = passphrase_convert(phrase_form.cleaned_data["phrase"])
        if conversion.ok:
            conversion_errors = _fully_valid(conversion.password, link.user)
    else:
        status = 400
    if request.htmx:
        # 200 even for an empty sentence: htmx only swaps successful answers.
        return render(
            request,
            "accounts/_phrase_result.html",
            {"token": token, "conversion": conversion, "conversion_errors": conversion_errors,
             "phrase_form": phrase_form},
        )
    return _page(request, token=token, link=link, phrase_form=phrase_form, conversion=conversion,
                 conversion_errors=conversion_errors, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def email_change_confirm(request, token):
    """The link e-mailed to a new address: a page with a button (a mail scanner opening the
    link confirms nothing), whose POST makes it the account's login."""
    try:
        change = email_change.email_change_get(token=token)
    except errors.LinkInvalid as invalid:
        return render(request, "accounts/email_change_invalid.html", {"error": invalid}, status=410)
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        try:
            change = email_change.email_change_confirm(token=token)
        except errors.LinkInvalid as refusal:
            return render(request, "accounts/email_change_invalid.html", {"error": refusal}, status=410)
        except DomainError as refusal:
            error, status = refusal, refusal.http_status
        else:
            messages.success(request, _("Votre adresse e-mail de connexion est désormais %(email)s.")
                             % {"email": change.new_email})
            return redirect("accounts:login")
    context = {"token": token, "change": change, "old_email_masked": email_change.masked(change.old_email),
               "error": error}
    return render(request, "accounts/email_change_confirm.html", context, status=status)
