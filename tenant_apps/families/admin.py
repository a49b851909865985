"""The family record in the town's admin (`/<ville>/gestion/admin/`), with search and inlines.

Saving a guardian goes through the services: their login account is created (no password)
and kept in step with the names. A new e-mail for a guardian who has a login is sent a
confirmation link: it becomes the login, and the record's e-mail, once confirmed.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _

from tenant_apps.accounts.email_change import email_change_request
from tenant_apps.core.admin_site import town_admin_site
from tenants.errors import DomainError

from . import errors, services
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
from .validators import normalize_phone


class GuardianAdminForm(forms.ModelForm):
    class Meta:
        model = Guardian
        fields = ["household", "civility", "last_name", "first_name", "email", "relationship", "is_payer",
                  "mobile_phone", "home_phone", "work_phone", "birth_date", "marital_status", "profession",
                  "employer"]

    requested_login_email = ""

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        try:
            services.guardian_email_check(email=email, guardian=self.instance if self.instance.pk else None)
        except errors.InvalidValue as error:
            raise forms.ValidationError(error.message) from None
        login = self.instance.user if self.instance.pk and self.instance.user_id else None
        if login is not None and email and email != login.email.lower():
            # Their login: the record keeps it until the new address confirms (see `request_login_email`).
            self.requested_login_email = email
            return login.email
        return email

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for attr in ("mobile_phone", "home_phone", "work_phone"):
            try:
                cleaned[attr] = normalize_phone(cleaned.get(attr, ""))
            except forms.ValidationError as error:
                self.add_error(attr, error)
        return cleaned


def request_login_email(request, form: GuardianAdminForm) -> None:
    """After saving a guardian whose login e-mail the gestionnaire changed: send the new
    address its confirmation link (the change is recorded with who asked)."""
    if not form.requested_login_email:
        return
    try:
        email_change_request(user=form.instance.user, new_email=form.requested_login_email,
                             requested_by=request.user)
    except DomainError as error:
        messages.error(request, f"{form.instance} : {error.message}")
        return
    messages.info(request, _("%(guardian)s : un lien de confirmation a été envoyé à %(email)s. La nouvelle "
                             "adresse deviendra son identifiant de connexion une fois le lien ouvert.")
                  % {"guardian": form.instance, "email": form.requested_login_email})


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
            for guardian_form in formset.forms:
                if isinstance(guardian_form, GuardianAdminForm) and guardian_form.instance.pk:
                    request_login_email(request, guardian_form)


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
        request_login_email(request, form)


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
