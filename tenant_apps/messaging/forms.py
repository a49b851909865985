from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.core.text import MESSAGE_BODY_MAX_CHARS, MESSAGE_SUBJECT_MAX_CHARS

from .models import TownService

# Help texts are rendered as HTML by Django's form templates: plain words only.
MESSAGE_HELP = _("Mise en forme : utilisez les boutons Gras, Italique, Listes et Lien. Tout autre code est retiré.")


class ComposeForm(forms.Form):
    subject = forms.CharField(label=_("Objet du message"), max_length=MESSAGE_SUBJECT_MAX_CHARS)
    body = forms.CharField(
        label=_("Votre message"), max_length=MESSAGE_BODY_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 8, "data-format-toolbar": "true"}),
        help_text=MESSAGE_HELP,
    )
    attachment = forms.FileField(label=_("Pièce jointe (PDF, PNG ou JPEG, 5 Mo au plus, facultatif)"), required=False)
    is_medical = forms.BooleanField(
        label=_("Ce message contient des informations médicales (elles ne seront pas recopiées dans les e-mails)"),
        required=False,
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Votre réponse"), max_length=MESSAGE_BODY_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 6, "data-format-toolbar": "true"}),
        help_text=MESSAGE_HELP,
    )
    attachment = forms.FileField(label=_("Pièce jointe (PDF, PNG ou JPEG, 5 Mo au plus, facultatif)"), required=False)


class TownServiceForm(forms.ModelForm):
    class Meta:
        model = TownService
        fields = ["name", "description", "email", "is_sensitive", "is_active", "position"]
