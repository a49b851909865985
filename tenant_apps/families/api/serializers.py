"""API representations of the family record. Writes are validated by the services, not here:
the write serializers only document the accepted fields in the OpenAPI schema."""

from django.db.models import Field as ModelField
from django.db.models import Model
from rest_framework import serializers

from ..login_email import pending_email
from ..models import (
    Allergy,
    Authorisation,
    Child,
    ChildDocument,
    EmergencyContact,
    Guardian,
    Household,
    PickupContact,
    SchoolPlacement,
    Vaccine,
)


class _BlankChoicesDocumented(serializers.ModelSerializer):
    """DRF drops `allow_blank` from read-only fields, so the OpenAPI enum of an optional choice
    (a guardian's relationship, a child's diet…) would omit "": put it back from the model."""

    def get_fields(self):
        fields = super().get_fields()
        model: type[Model] = self.Meta.model
        for name, field in fields.items():
            if isinstance(field, serializers.ChoiceField) and field.source in (None, name):
                model_field = model._meta.get_field(name)
                field.allow_blank = isinstance(model_field, ModelField) and model_field.blank
        return fields


class GuardianSerializer(_BlankChoicesDocumented):
    pending_email = serializers.SerializerMethodField(
        help_text="The address asked to become this guardian's e-mail and login, until it confirms through the "
                  "link e-mailed to it (24 hours); empty if none.")

    class Meta:
        model = Guardian
        fields = ["id", "civility", "first_name", "last_name", "birth_date", "marital_status", "relationship", "email",
                  "pending_email", "mobile_phone", "home_phone", "work_phone", "profession", "employer", "is_payer"]
        read_only_fields = fields

    def get_pending_email(self, obj) -> str:
        return pending_email(obj)


class GuardianPatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Guardian
        fields = ["civility", "first_name", "last_name", "birth_date", "marital_status", "relationship", "email",
                  "mobile_phone", "home_phone", "work_phone", "profession", "employer"]
        extra_kwargs = {f: {"required": False} for f in fields}


class HouseholdSerializer(serializers.ModelSerializer):
    guardians = GuardianSerializer(many=True, read_only=True)
    children = serializers.PrimaryKeyRelatedField[Child](many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "name", "address_line", "address_line2", "postcode", "city", "family_quotient",
                  "family_quotient_valid_from", "family_quotient_valid_until", "guardians", "children"]
        read_only_fields = fields


class HouseholdPatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Household
        fields = ["address_line", "address_line2", "postcode", "city", "family_quotient",
                  "family_quotient_valid_from", "family_quotient_valid_until"]
        extra_kwargs = {f: {"required": False} for f in fields}


class SchoolPlacementSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchoolPlacement
        fields = ["school_year", "school", "level", "school_class"]


class AllergySerializer(serializers.ModelSerializer):
    class Meta:
        model = Allergy
        fields = ["id", "name", "details"]
        read_only_fields = ["id"]


class VaccineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vaccine
        fields = ["id", "name", "given_on"]
        read_only_fields = ["id"]


class EmergencyContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmergencyContact
        fields = ["id", "name", "relationship", "phone"]
        read_only_fields = ["id"]


class PickupContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = PickupContact
        fields = ["id", "name", "relationship", "phone"]
        read_only_fields = ["id"]


class AuthorisationSerializer(serializers.ModelSerializer):
    # The serializer's metaclass pops declared fields, so Field.label is untouched at run time.
    label = serializers.CharField(source="get_kind_display", read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Authorisation
        fields = ["kind", "label", "granted"]
        read_only_fields = ["kind", "label"]


class AuthorisationWriteSerializer(serializers.Serializer):
    granted = serializers.BooleanField()


class ChildDocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ChildDocument
        fields = ["id", "title", "content_type", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("api-child-document", args=[obj.child_id, obj.pk])


class ChildDocumentUploadSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=150)
    file = serializers.FileField(help_text="PDF, JPEG ou PNG (vérifié sur le contenu), 5 Mo maximum.")


class ChildSerializer(_BlankChoicesDocumented):
    age = serializers.SerializerMethodField()
    placements = SchoolPlacementSerializer(many=True, read_only=True)
    allergies = AllergySerializer(many=True, read_only=True)
    vaccines = VaccineSerializer(many=True, read_only=True)
    emergency_contacts = EmergencyContactSerializer(many=True, read_only=True)
    pickup_contacts = PickupContactSerializer(many=True, read_only=True)
    authorisations = AuthorisationSerializer(many=True, read_only=True)

    class Meta:
        model = Child
        fields = ["id", "first_name", "last_name", "sex", "birth_date", "birth_city", "age", "diet", "doctor_name",
                  "doctor_phone", "care_plan", "care_plan_details", "placements", "allergies", "vaccines",
                  "emergency_contacts", "pickup_contacts", "authorisations"]
        read_only_fields = fields

    def get_age(self, obj) -> int:
        return obj.age()


class ChildPatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Child
        fields = ["first_name", "last_name", "sex", "birth_date", "birth_city", "diet", "doctor_name", "doctor_phone",
                  "care_plan", "care_plan_details"]
        extra_kwargs = {f: {"required": False} for f in fields}
