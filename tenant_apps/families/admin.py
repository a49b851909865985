"""The family record in the town's admin (`/<ville>/gestion/admin/`), with search and inlines.

Saving a guardian goes through the services: their login account is created (no password)
or kept in step with the e-mail.
"""

from django import forms
from django.contrib import admin

from tenant_apps.core.admin_site import town_admin_site

from . import services
from .models import (
    Allergy,
    Authorisation,
    Child,
    ChildDocument,
    EmergencyContact,
    FieldChange,
    FieldPolicy,
    Guardian,
    Household,
    PickupContact,
    SchoolPlacement,
    Vaccine,
)


class GuardianAdminForm(forms.ModelForm):
    class Meta:
        model = Guardian
        fields = ["household", "civility", "last_name", "first_name", "email", "relationship", "is_payer",
                  "mobile_phone", "home_phone", "work_phone", "birth_date", "marital_status", "profession",
                  "employer"]

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        try:
            services.guardian_email_check(email=email, guardian=self.instance if self.instance.pk else None)
        except services.InvalidValue as error:
            raise forms.ValidationError(error.message) from None
        return email

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for attr in ("mobile_phone", "home_phone", "work_phone"):
            try:
                cleaned[attr] = services.normalize_phone(cleaned.get(attr, ""))
            except forms.ValidationError as error:
                self.add_error(attr, error)
        return cleaned


class GuardianInline(admin.StackedInline):
    model = Guardian
    form = GuardianAdminForm
    extra = 0
    fields = [("civility", "last_name", "first_name"), ("email", "relationship", "is_payer"),
              ("mobile_phone", "home_phone", "work_phone"), ("birth_date", "marital_status"), ("profession", "employer")]


class ChildInline(admin.TabularInline):
    model = Child
    extra = 0
    fields = ["last_name", "first_name", "sex", "birth_date", "birth_city", "diet"]
    show_change_link = True


@admin.register(Household, site=town_admin_site)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["name", "postcode", "city", "family_quotient", "family_quotient_valid_until"]
    search_fields = ["name", "city", "external_ref", "guardians__last_name", "guardians__first_name",
                     "guardians__email", "children__first_name", "children__last_name"]
    inlines = [GuardianInline, ChildInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Guardian:
            for guardian in formset.queryset.model.objects.filter(household=form.instance):
                services.guardian_login_sync(guardian=guardian)


@admin.register(Guardian, site=town_admin_site)
class GuardianAdmin(admin.ModelAdmin):
    form = GuardianAdminForm
    list_display = ["__str__", "email", "mobile_phone", "household", "relationship"]
    search_fields = ["last_name", "first_name", "email", "mobile_phone", "household__name"]
    list_select_related = ["household"]
    autocomplete_fields = ["household"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.guardian_login_sync(guardian=obj)


class PlacementInline(admin.TabularInline):
    model = SchoolPlacement
    extra = 0


class AllergyInline(admin.TabularInline):
    model = Allergy
    extra = 0


class VaccineInline(admin.TabularInline):
    model = Vaccine
    extra = 0


class EmergencyInline(admin.TabularInline):
    model = EmergencyContact
    extra = 0


class PickupInline(admin.TabularInline):
    model = PickupContact
    extra = 0


class AuthorisationInline(admin.TabularInline):
    model = Authorisation
    extra = 0


class DocumentInline(admin.TabularInline):
    model = ChildDocument
    extra = 0
    fields = ["title", "content_type", "size", "uploaded_at"]
    readonly_fields = ["title", "content_type", "size", "uploaded_at"]
    can_delete = True

    def has_add_permission(self, request, obj=None):
        # Uploads go through the service (content type and size checks).
        return False


@admin.register(Child, site=town_admin_site)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["__str__", "birth_date", "diet", "household"]
    list_filter = ["diet", "care_plan"]
    search_fields = ["last_name", "first_name", "household__name", "placements__school", "placements__school_class"]
    list_select_related = ["household"]
    autocomplete_fields = ["household"]
    inlines = [PlacementInline, AllergyInline, VaccineInline, EmergencyInline, PickupInline, AuthorisationInline,
               DocumentInline]


@admin.register(FieldPolicy, site=town_admin_site)
class FieldPolicyAdmin(admin.ModelAdmin):
    list_display = ["key", "editable_by_parents", "audited"]
    list_editable = ["editable_by_parents", "audited"]
    search_fields = ["key"]


@admin.register(FieldChange, site=town_admin_site)
class FieldChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "household", "subject", "field_key", "old_value", "new_value", "changed_by"]
    list_filter = ["field_key"]
    search_fields = ["household__name", "subject", "field_key", "changed_by__email"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
