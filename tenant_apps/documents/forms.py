from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.catalog.models import Service

from .models import Document


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    category = forms.ChoiceField(label=_("Catégorie"), choices=Document.Category.choices)
    file = forms.FileField(
        label=_("Fichier (PDF, PNG ou JPEG, 10 Mo au plus)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    published_on = forms.DateField(label=_("Date de publication"), widget=forms.DateInput(attrs={"type": "date"}))
    unpublished_on = forms.DateField(
        label=_("Visible jusqu'au (facultatif)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    audience = forms.ChoiceField(label=_("Destinataires"), choices=Document.Audience.choices,
                                 widget=forms.RadioSelect, initial=Document.Audience.ALL)
    services = forms.ModelMultipleChoiceField(
        label=_("Prestations (pour les familles inscrites)"), required=False,
        queryset=Service.objects.filter(is_active=True).order_by("position", "name"),
        widget=forms.CheckboxSelectMultiple,
    )


class DocumentEditForm(DocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["file"]
