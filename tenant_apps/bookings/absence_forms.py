"""Forms of absences: the parent's declaration, a certificate sent afterwards, staff's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.core.errors import UploadRejected
from tenant_apps.core.files import PDF_AND_IMAGES, check_upload

from .models import Absence

CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024


class CertificateField(forms.FileField):
    """A PDF, JPEG or PNG of 5 MB at most, checked from its content: cleaned to a CheckedUpload."""

    max_bytes = CERTIFICATE_MAX_BYTES

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Certificat médical (PDF, JPEG ou PNG, 5 Mo maximum)"))
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        try:
            return check_upload(upload, allowed=PDF_AND_IMAGES, max_bytes=CERTIFICATE_MAX_BYTES)
        except UploadRejected as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class AbsenceForm(forms.Form):
    child = forms.TypedChoiceField(label=_("Enfant"), coerce=int)
    start = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Au (inclus)"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=_("Motif"), choices=Absence.Reason.choices)
    comment = forms.CharField(label=_("Commentaire (facultatif)"), max_length=300, required=False)
    certificate = CertificateField(required=False)

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(child.pk, child.first_name) for child in children]  # type: ignore[attr-defined]


class CertificateForm(forms.Form):
    certificate = CertificateField(error_messages={"required": _("Choisissez un fichier.")})
