"""Forms of the family record: one per sub-record. Services validate their input with them too,
so the page, the API and the CSV import give the same French messages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tenant_apps.core.errors import UploadRejected
from tenant_apps.core.files import PDF_AND_IMAGES, check_upload

from .fields import DATE_INPUTS, SPECS, PhoneField
from .models import Authorisation
from .validators import validate_not_future

DEFAULT_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
ACCEPTED_DOCUMENT_TYPES = PDF_AND_IMAGES


def document_max_bytes() -> int:
    return int(getattr(settings, "FAMILY_DOCUMENT_MAX_BYTES", DEFAULT_DOCUMENT_MAX_BYTES))


class RecordForm(forms.Form):
    """Labels without Django's trailing colon (the label is also the field's accessible name)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AllergyForm(RecordForm):
    name = forms.CharField(label=_("Allergie"), max_length=150)
    details = forms.CharField(label=_("Précisions (facultatif)"), max_length=300, required=False)


class VaccineForm(RecordForm):
    name = forms.CharField(label=_("Vaccin"), max_length=150)
    given_on = forms.DateField(
        label=_("Date du vaccin"), input_formats=DATE_INPUTS, validators=[validate_not_future],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date valide (jj/mm/aaaa).")},
    )


class ContactForm(RecordForm):
    name = forms.CharField(label=_("Nom et prénom"), max_length=150)
    relationship = forms.CharField(label=_("Lien avec l'enfant"), max_length=100, required=False)
    phone = PhoneField(label=_("Téléphone"), max_length=30)


class AuthorisationForm(RecordForm):
    kind = forms.ChoiceField(label=_("Autorisation"), choices=Authorisation.Kind.choices)
    granted = forms.TypedChoiceField(
        label=_("Accordée"), choices=[("oui", _("Oui")), ("non", _("Non"))],
        coerce=lambda v: v in (True, "oui", "true", "True", "1"), widget=forms.RadioSelect,
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and isinstance(data.get("granted"), bool):
            data = {**data, "granted": "oui" if data["granted"] else "non"}
        super().__init__(data, *args, **kwargs)


class DocumentForm(RecordForm):
    title = forms.CharField(label=_("Titre du document"), max_length=150)
    file = forms.FileField(
        label=_("Fichier (PDF, JPEG ou PNG, 5 Mo maximum)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        error_messages={"required": _("Choisissez un fichier."), "empty": _("Le fichier est vide.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            checked = check_upload(upload, allowed=ACCEPTED_DOCUMENT_TYPES, max_bytes=document_max_bytes())
        except UploadRejected as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        upload.detected_mime = checked.content_type
        return upload


class FieldPolicyForm(forms.Form):
    """Staff screen: one pair of checkboxes per field key."""

    def __init__(self, *args, policies: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in SPECS:
            editable, audited = policies[spec.key]
            self.fields[f"{spec.key}__editable"] = forms.BooleanField(
                label=_("Modifiable par les parents"), required=False, initial=editable)
            self.fields[f"{spec.key}__audited"] = forms.BooleanField(
                label=_("Modifications historisées"), required=False, initial=audited)


class ImportForm(RecordForm):
    file = forms.FileField(label=_("Fichier CSV (UTF-8, séparateur ; ou ,)"))
