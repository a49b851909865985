"""Forms of the parents' bulk booking wizard ("RÉSERVER EN MASSE")."""

import datetime as dt
from typing import cast

from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tenant_apps.catalog.models import WEEKDAY_LABELS, Enrolment, Service, school_year_of
from tenant_apps.families.selectors import children_of

from .services import MAX_BULK_DAYS, BulkAction, Criterion

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def bookable_years(today: dt.date) -> list[str]:
    """The current school year and the next one (parents book next year's in summer)."""
    return [school_year_of(today), school_year_of(today.replace(year=today.year + 1))]


def enrolled_child_ids(household, service: Service, today: dt.date, children: list | None = None) -> set[int]:
    """The household's children enrolled in `service` for a bookable year (all of them when it needs
    no enrolment); read from the service when BulkServiceForm loaded it with them."""
    if not service.enrolment_required:
        if children is not None:
            return {c.pk for c in children}
        return set(children_of(household).values_list("pk", flat=True))
    known = getattr(service, "enrolled_child_ids", None)
    if known is not None:
        return set(known)
    scope = children if children is not None else children_of(household)
    return set(Enrolment.objects.filter(child__in=scope, service=service, school_year__in=bookable_years(today))
               .values_list("child_id", flat=True))


class BulkServiceForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Prestation"), queryset=Service.objects.none(),
                                     empty_label=_("Choisissez une prestation"),
                                     error_messages={"required": _("Choisissez une prestation."),
                                                     "invalid_choice": _("Prestation inconnue.")})

    def __init__(self, *args, household, today, children: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        enrolled = Enrolment.objects.filter(school_year__in=bookable_years(today))
        if children is not None:
            enrolled = enrolled.filter(child_id__in=[c.pk for c in children])
        else:
            enrolled = enrolled.filter(child__in=children_of(household))
        service_field = cast(forms.ModelChoiceField, self.fields["service"])
        # Each service comes with the children enrolled in it: the next step needs no query of its own.
        service_field.queryset = Service.objects.filter(is_active=True).filter(
            Q(pk__in=enrolled.values("service_id")) | Q(enrolment_required=False)
        ).annotate(enrolled_child_ids=ArraySubquery(
            enrolled.filter(service_id=OuterRef("pk")).order_by("child_id").values("child_id"))
        ).order_by("position", "name")


class BulkChildrenForm(forms.Form):
    children = forms.MultipleChoiceField(label=_("Enfants"), widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("Choisissez au moins un enfant."),
                                                         "invalid_choice": _("Cet enfant n'est pas inscrit.")})

    def __init__(self, *args, household, service, today, children: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.all_children = list(children) if children is not None else list(children_of(household))
        self.enrolled_ids = enrolled_child_ids(household, service, today, self.all_children)
        children_field = cast(forms.MultipleChoiceField, self.fields["children"])
        children_field.choices = [(str(c.pk), f"{c.last_name.upper()} {c.first_name}")
                                  for c in self.all_children if c.pk in self.enrolled_ids]

    def options(self):
        """Every child of the household; the non-enrolled ones are shown disabled."""
        chosen = set(self.data.getlist("children")) if isinstance(self.data, MultiValueDict) else set()
        return [{"child": c, "enrolled": c.pk in self.enrolled_ids, "checked": str(c.pk) in chosen}
                for c in self.all_children]

    def clean_children(self):
        ids = {int(v) for v in self.cleaned_data["children"]}
        return [c for c in self.all_children if c.pk in ids]


class BulkParamsForm(forms.Form):
    start = forms.DateField(label=_("Date début réservation"), input_formats=DATE_FORMATS,
                            widget=forms.TextInput(attrs={"placeholder": "JJ/MM/AAAA", "inputmode": "numeric",
                                                          "autocomplete": "off"}),
                            help_text=_("Format JJ/MM/AAAA"),
                            error_messages={"required": _("Indiquez la date de début."),
                                            "invalid": _("Date de début invalide (JJ/MM/AAAA).")})
    end = forms.DateField(label=_("Date fin réservation"), input_formats=DATE_FORMATS,
                          widget=forms.TextInput(attrs={"placeholder": "JJ/MM/AAAA", "inputmode": "numeric",
                                                        "autocomplete": "off"}),
                          help_text=_("Format JJ/MM/AAAA"),
                          error_messages={"required": _("Indiquez la date de fin."),
                                          "invalid": _("Date de fin invalide (JJ/MM/AAAA).")})
    action = forms.ChoiceField(label=_("Action sur les pointages"), choices=BulkAction.CHOICES,
                               widget=forms.RadioSelect, initial=BulkAction.ADD)
    criterion = forms.ChoiceField(label=_("Critère"), choices=Criterion.CHOICES, initial=Criterion.NONE)

    def __init__(self, *args, service, children, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = children
        self.today = today
        weekdays = sorted(service.weekdays) if service.calendar != Service.Calendar.GIVEN_DATES else list(range(7))
        for child in children:
            self.fields[f"days_{child.pk}"] = forms.TypedMultipleChoiceField(
                label=gettext("Jours pour %(child)s") % {"child": f"{child.last_name.upper()} {child.first_name}"}, coerce=int,
                choices=[(d, WEEKDAY_LABELS[d]) for d in weekdays], widget=forms.CheckboxSelectMultiple,
                initial=weekdays, error_messages={"required": _("Choisissez au moins un jour.")})
        self.fields["start"].initial = (today + dt.timedelta(days=1)).strftime("%d/%m/%Y")

    def day_fields(self):
        return [self[f"days_{child.pk}"] for child in self.children]

    def other_fields(self):
        return [self[name] for name in ("start", "end", "action", "criterion")]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError(_("La date de fin doit suivre la date de début."))
            if (end - start).days > MAX_BULK_DAYS:
                raise ValidationError(gettext("La période ne peut dépasser %(days)s jours.") % {"days": MAX_BULK_DAYS})
        return data

    def weekdays_by_child(self) -> dict:
        return {child: self.cleaned_data[f"days_{child.pk}"] for child in self.children}


class ClosureForm(forms.Form):
    """A closure: one day or a range, for every service or the chosen ones (staff)."""

    date = forms.DateField(label=_("Du"), input_formats=DATE_FORMATS,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Au (facultatif : un seul jour)"), required=False, input_formats=DATE_FORMATS,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("Motif"), max_length=200)
    services = forms.ModelMultipleChoiceField(
        label=_("Prestations"), required=False, queryset=Service.objects.order_by("position", "name"),
        widget=forms.CheckboxSelectMultiple, help_text=_("Aucune cochée : toutes les prestations sont fermées."))
