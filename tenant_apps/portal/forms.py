from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.core.models import TownProfile


class TownProfileForm(forms.ModelForm):
    logo = forms.FileField(label=_("Logo (PNG ou JPEG, 1 Mo au plus)"), required=False,
                           widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}))
    remove_logo = forms.BooleanField(label=_("Retirer le logo"), required=False)
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")

    class Meta:
        model = TownProfile
        fields = ["display_name", "address_line", "postcode", "city", "phone", "fax", "email", "website",
                  "welcome_title", "welcome_body"]
        widgets = {"welcome_body": forms.Textarea(attrs={"rows": 10, "data-format-toolbar": "true"})}
        help_texts = {
            # Rendered as HTML by Django's form templates: plain words only.
            "welcome_body": _("Mise en forme possible : paragraphes, gras, italique, listes, liens et intertitres. "
                              "Tout autre code est retiré à l'enregistrement."),
        }
