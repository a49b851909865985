from django import forms
from django.utils.translation import gettext_lazy as _


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)


class InvitationBatchForm(forms.Form):
    """Who gets the first-password invitation: every guardian without a password, or a filter."""

    scope = forms.ChoiceField(label=_("Destinataires"), widget=forms.RadioSelect, initial="all", choices=[
        ("all", _("Tous les responsables sans mot de passe")),
        ("service", _("Les familles inscrites à une prestation")),
        ("school", _("Les familles d'une école")),
    ])
    service = forms.ChoiceField(label=_("Prestation"), required=False)
    school = forms.ChoiceField(label=_("École"), required=False)
    include_recent = forms.BooleanField(
        label=_("Réinviter aussi les responsables invités dans les dernières 24 heures"), required=False)

    def __init__(self, *args, services, schools, **kwargs):
        super().__init__(*args, **kwargs)
        service_field, school_field = self.fields["service"], self.fields["school"]
        assert isinstance(service_field, forms.ChoiceField) and isinstance(school_field, forms.ChoiceField)  # noqa: S101
        service_field.choices = [("", "—"), *[(str(s.pk), s.name) for s in services]]
        school_field.choices = [("", "—"), *[(school, school) for school in schools]]

    def clean(self):
        data = super().clean() or {}
        if data.get("scope") == "service" and not data.get("service"):
            self.add_error("service", _("Choisissez la prestation."))
        if data.get("scope") == "school" and not data.get("school"):
            self.add_error("school", _("Choisissez l'école."))
        return data


class TownOpenForm(forms.Form):
    confirm = forms.BooleanField(label=_("J'ai vérifié la liste de mise en place : les familles peuvent se connecter."),
                                 error_messages={"required": _("Cochez la case pour confirmer l'ouverture.")})
