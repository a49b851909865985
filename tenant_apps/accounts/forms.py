from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .opening import COMING_SOON, portal_open


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(
        label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        # One message whether the address exists or not: no account enumeration.
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect."),
        "inactive": _("Adresse e-mail ou mot de passe incorrect."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff and not portal_open():
            raise forms.ValidationError(COMING_SOON, code="portal_not_open")

    def clean_username(self):
        # One spelling per account, so that the throttling counts "Parent@X.fr" and "parent@x.fr" together.
        return self.cleaned_data["username"].strip().lower()


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={"invalid": _("Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr.")},
    )


class PasswordCreateForm(forms.Form):
    password1 = forms.CharField(
        label=_("Nouveau mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "aria-describedby": "password-rules-title"}),
    )
    password2 = forms.CharField(
        label=_("Confirmer le mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "aria-describedby": "password-rules-title"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les 2 mots de passe saisis ne sont pas identiques."))
        return cleaned


class PassphraseForm(forms.Form):
    phrase = forms.CharField(
        label=_("Écrivez ici votre phrase à convertir en mot de passe"),
        max_length=300,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
    )
