import uuid
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.catalog.models import Service
from tenant_apps.core.text import MESSAGE_BODY_MAX_CHARS, MESSAGE_SUBJECT_MAX_CHARS
from tenant_apps.families.models import Household

from . import audiences
from .models import TownService

# Help texts are rendered as HTML by Django's form templates: plain words only.
MESSAGE_HELP = _("Texte simple : votre message est affiché tel que vous l'écrivez, retours à la ligne compris.")


class ComposeForm(forms.Form):
    subject = forms.CharField(label=_("Objet du message"), max_length=MESSAGE_SUBJECT_MAX_CHARS)
    body = forms.CharField(
        label=_("Votre message"), max_length=MESSAGE_BODY_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MESSAGE_HELP,
    )
    attachment = forms.FileField(label=_("Pièce jointe (PDF, PNG ou JPEG, 5 Mo au plus, facultatif)"), required=False)
    is_medical = forms.BooleanField(
        label=_("Ce message contient des informations médicales (elles ne seront pas recopiées dans les e-mails)"),
        required=False,
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Votre réponse"), max_length=MESSAGE_BODY_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MESSAGE_HELP,
    )
    attachment = forms.FileField(label=_("Pièce jointe (PDF, PNG ou JPEG, 5 Mo au plus, facultatif)"), required=False)


class TownServiceForm(forms.ModelForm):
    class Meta:
        model = TownService
        fields = ["name", "description", "email", "is_sensitive", "is_active", "position"]


def _service_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("Envoyé au nom du service"), empty_label=None,
                                  queryset=TownService.objects.filter(is_active=True).order_by("position", "name"))


class StaffStartForm(forms.Form):
    household = forms.ModelChoiceField(label=_("Foyer"), queryset=Household.objects.order_by("name"),
                                       widget=forms.HiddenInput)
    service = _service_field()
    subject = forms.CharField(label=_("Objet du message"), max_length=MESSAGE_SUBJECT_MAX_CHARS)
    body = forms.CharField(label=_("Message"), max_length=MESSAGE_BODY_MAX_CHARS,
                           widget=forms.Textarea(attrs={"rows": 8}), help_text=MESSAGE_HELP)


CLASS_SEPARATOR = " :: "


class GroupMessageForm(forms.Form):
    """A message to a group; `key` makes a second submit of the same form send nothing more."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    audience = forms.ChoiceField(label=_("Destinataires"), widget=forms.RadioSelect)
    services = forms.ModelMultipleChoiceField(
        label=_("Prestations (familles inscrites cette année scolaire)"), required=False,
        queryset=Service.objects.order_by("position", "name"), widget=forms.CheckboxSelectMultiple)
    school = forms.ChoiceField(label=_("École"), required=False)
    school_class = forms.ChoiceField(label=_("Classe"), required=False)
    service = _service_field()
    subject = forms.CharField(label=_("Objet du message"), max_length=MESSAGE_SUBJECT_MAX_CHARS)
    body = forms.CharField(label=_("Message"), max_length=MESSAGE_BODY_MAX_CHARS,
                           widget=forms.Textarea(attrs={"rows": 8}), help_text=MESSAGE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["audience"]).choices = audiences.choices()
        cast(forms.ChoiceField, self.fields["school"]).choices = [("", "—")] + [(s, s) for s in audiences.schools()]
        cast(forms.ChoiceField, self.fields["school_class"]).choices = [("", "—")] + [
            (f"{s}{CLASS_SEPARATOR}{c}", f"{c} ({s})") for s, c in audiences.school_classes()]
        if not self.is_bound:
            self.initial.setdefault("key", uuid.uuid4().hex)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        school_class = data.get("school_class") or ""
        if CLASS_SEPARATOR in school_class:
            data["school"], data["school_class"] = school_class.split(CLASS_SEPARATOR, 1)
        return data


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = forms.CharField(label=_("Texte"), required=False, max_length=MESSAGE_BODY_MAX_CHARS,
                           widget=forms.Textarea(attrs={"rows": 4}), help_text=MESSAGE_HELP)
    ends_on = forms.DateField(label=_("Affiché jusqu'au (inclus)"), widget=forms.DateInput(attrs={"type": "date"}))
