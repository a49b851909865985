from django import forms
from django.utils.translation import gettext_lazy as _


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
