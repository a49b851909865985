"""Staff forms of the services app."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.families.models import Child

from .models import WEEKDAY_LABELS, Enrolment, Service, ServicePeriod


class ServiceForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Jours de la semaine"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(i, label) for i, label in enumerate(WEEKDAY_LABELS)])

    class Meta:
        model = Service
        fields = ["name", "kind", "weekdays", "calendar", "capacity", "enrolment_required", "colour", "position",
                  "is_active", "billed_in_advance", "deadline_mode", "deadline_time", "deadline_days", "deadline_day_kind",
                  "cancellation_mode", "cancellation_time", "cancellation_days", "cancellation_day_kind"]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "deadline_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "cancellation_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class EnrolmentForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["child", "service", "school_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        child_field = cast(forms.ModelChoiceField, self.fields["child"])  # a foreign key's field
        child_field.queryset = Child.objects.select_related("household").order_by("last_name", "first_name")

    def validate_unique(self):
        pass  # the service reports duplicates with a clear message


class ServicePeriodForm(forms.ModelForm):
    class Meta:
        model = ServicePeriod
        fields = ["label", "start", "end", "closes_at"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }


class ServiceDateForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class SchoolHolidayPeriodForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=120)
    start = forms.DateField(label=_("Premier jour sans école"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Dernier jour sans école"), widget=forms.DateInput(attrs={"type": "date"}))
