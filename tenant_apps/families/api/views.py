"""REST API of the family record for guardians (`/<ville>/api/v1/`).

Every view starts from `household_of(request.user)` (404 for another family's ids) and
writes through the same services as the portal pages: same field policy (403 on a
read-only field), same validation messages, same audit trail.
"""

from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.core.files import PDF_AND_IMAGES

from .. import errors, services
from ..models import Authorisation, Child
from ..selectors import child_of, children_of, document_of, guardian_of, guardians_of, household_of
from ..views import document_file_response
from . import serializers as s


def _object(data):
    """The request body, which must be an object (a JSON `[…]` or `null` is a 400, not a crash)."""
    if not hasattr(data, "items"):
        raise errors.InvalidValue(_("Le corps de la requête doit être un objet JSON."))
    return data


def _keys(scope: str, data) -> dict:
    return {f"{scope}.{name}": value for name, value in _object(data).items()}


@extend_schema_view(
    get=extend_schema(summary="Le foyer du responsable connecté", responses=s.HouseholdSerializer, tags=["familles"]),
    patch=extend_schema(summary="Modifier le foyer (adresse…) ; les champs en lecture seule répondent 403",
                        request=s.HouseholdPatchSerializer, responses=s.HouseholdSerializer, tags=["familles"]),
)
class HouseholdView(APIView):
    def get(self, request):
        return Response(s.HouseholdSerializer(household_of(request.user)).data)

    def patch(self, request):
        household = household_of(request.user)
        services.record_update(actor=request.user, obj=household, values=_keys("household", request.data))
        household.refresh_from_db()
        return Response(s.HouseholdSerializer(household).data)


@extend_schema(summary="Les responsables légaux du foyer", responses=s.GuardianSerializer(many=True), tags=["familles"])
class GuardianListView(APIView):
    def get(self, request):
        return Response(s.GuardianSerializer(guardians_of(household_of(request.user)), many=True).data)


@extend_schema_view(
    get=extend_schema(summary="Un responsable légal du foyer", responses=s.GuardianSerializer, tags=["familles"]),
    patch=extend_schema(
        summary="Modifier un responsable",
        description=(
            "L'e-mail est l'identifiant de connexion : un responsable ne change que le sien, et la nouvelle adresse "
            "reçoit un lien de confirmation (24 heures) ; `email` ne change qu'après confirmation, `pending_email` "
            "montre l'adresse en attente. Changer l'e-mail d'un autre responsable répond 403 (`field_read_only`)."
        ),
        request=s.GuardianPatchSerializer, responses=s.GuardianSerializer, tags=["familles"]),
)
class GuardianView(APIView):
    def get(self, request, guardian_id: int):
        return Response(s.GuardianSerializer(guardian_of(household_of(request.user), guardian_id)).data)

    def patch(self, request, guardian_id: int):
        guardian = guardian_of(household_of(request.user), guardian_id)
        services.record_update(actor=request.user, obj=guardian, values=_keys("guardian", request.data))
        guardian.refresh_from_db()
        return Response(s.GuardianSerializer(guardian).data)


@extend_schema(summary="Les enfants du foyer", responses=s.ChildSerializer(many=True), tags=["familles"])
class ChildListView(APIView):
    def get(self, request):
        return Response(s.ChildSerializer(children_of(household_of(request.user)), many=True).data)


@extend_schema_view(
    get=extend_schema(summary="Un enfant du foyer et ses informations", responses=s.ChildSerializer,
                      tags=["familles"]),
    patch=extend_schema(summary="Modifier un enfant (régime, médecin, PAI…)", request=s.ChildPatchSerializer,
                        responses=s.ChildSerializer, tags=["familles"]),
)
class ChildView(APIView):
    def get(self, request, child_id: int):
        return Response(s.ChildSerializer(child_of(household_of(request.user), child_id)).data)

    def patch(self, request, child_id: int):
        child = child_of(household_of(request.user), child_id)
        services.record_update(actor=request.user, obj=child, values=_keys("child", request.data))
        child.refresh_from_db()
        return Response(s.ChildSerializer(child).data)


class _ChildSubRecords(APIView):
    """List and add one kind of sub-record of a child."""

    serializer_class: type
    related_name = ""

    def child(self, request, child_id):
        return child_of(household_of(request.user), child_id)

    def get(self, request, child_id: int):
        child = self.child(request, child_id)
        return Response(self.serializer_class(getattr(child, self.related_name).all(), many=True).data)

    def post(self, request, child_id: int):
        child = self.child(request, child_id)
        created = self.create(request, child)
        return Response(self.serializer_class(created).data, status=status.HTTP_201_CREATED)

    def create(self, request: Request, child: Child) -> Model:
        """Add one record to the child through the families services (each list view says how)."""
        raise NotImplementedError


class _ChildSubRecord(APIView):
    def child(self, request, child_id):
        return child_of(household_of(request.user), child_id)


def _str(data, name: str) -> str:
    value = _object(data).get(name, "")
    return "" if value is None else str(value)


@extend_schema_view(
    get=extend_schema(summary="Allergies de l'enfant", responses=s.AllergySerializer(many=True), tags=["familles"]),
    post=extend_schema(summary="Ajouter une allergie", request=s.AllergySerializer, responses={201: s.AllergySerializer},
                       tags=["familles"]),
)
class AllergyListView(_ChildSubRecords):
    serializer_class = s.AllergySerializer
    related_name = "allergies"

    def create(self, request, child):
        return services.allergy_add(actor=request.user, child=child, name=_str(request.data, "name"),
                                    details=_str(request.data, "details"))


@extend_schema(summary="Supprimer une allergie", responses={204: None}, tags=["familles"])
class AllergyView(_ChildSubRecord):
    def delete(self, request, child_id: int, allergy_id: int):
        services.allergy_remove(actor=request.user, child=self.child(request, child_id), allergy_id=allergy_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(summary="Vaccins de l'enfant", responses=s.VaccineSerializer(many=True), tags=["familles"]),
    post=extend_schema(summary="Ajouter un vaccin", request=s.VaccineSerializer, responses={201: s.VaccineSerializer},
                       tags=["familles"]),
)
class VaccineListView(_ChildSubRecords):
    serializer_class = s.VaccineSerializer
    related_name = "vaccines"

    def create(self, request, child):
        return services.vaccine_add(actor=request.user, child=child, name=_str(request.data, "name"),
                                    given_on=_str(request.data, "given_on"))


@extend_schema(summary="Supprimer un vaccin", responses={204: None}, tags=["familles"])
class VaccineView(_ChildSubRecord):
    def delete(self, request, child_id: int, vaccine_id: int):
        services.vaccine_remove(actor=request.user, child=self.child(request, child_id), vaccine_id=vaccine_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _contact_views(kind: str, serializer, label: str):
    related = {"emergency": "emergency_contacts", "pickup": "pickup_contacts"}[kind]

    @extend_schema_view(
        get=extend_schema(summary=f"{label} de l'enfant", responses=serializer(many=True), tags=["familles"]),
        post=extend_schema(summary=f"Ajouter un {label.lower()[:-1]}", request=serializer,
                           responses={201: serializer}, tags=["familles"]),
    )
    class ListView(_ChildSubRecords):
        serializer_class = serializer
        related_name = related

        def create(self, request, child):
            return services.contact_add(actor=request.user, child=child, kind=kind, name=_str(request.data, "name"),
                                        relationship=_str(request.data, "relationship"),
                                        phone=_str(request.data, "phone"))

    @extend_schema(summary=f"Supprimer un {label.lower()[:-1]}", responses={204: None}, tags=["familles"])
    class DetailView(_ChildSubRecord):
        def delete(self, request, child_id: int, contact_id: int):
            services.contact_remove(actor=request.user, child=self.child(request, child_id), kind=kind,
                                    contact_id=contact_id)
            return Response(status=status.HTTP_204_NO_CONTENT)

    ListView.__name__ = f"{kind.title()}ContactListView"
    DetailView.__name__ = f"{kind.title()}ContactView"
    return ListView, DetailView


EmergencyContactListView, EmergencyContactView = _contact_views("emergency", s.EmergencyContactSerializer,
                                                                "Contacts d'urgence")
PickupContactListView, PickupContactView = _contact_views("pickup", s.PickupContactSerializer, "Contacts de sortie")


@extend_schema(summary="Autorisations de l'enfant", responses=s.AuthorisationSerializer(many=True), tags=["familles"])
class AuthorisationListView(_ChildSubRecord):
    def get(self, request, child_id: int):
        child = self.child(request, child_id)
        return Response(s.AuthorisationSerializer(child.authorisations.all(), many=True).data)


@extend_schema(summary="Accorder ou refuser une autorisation (photo, leave_alone, transport, care, outings)",
               request=s.AuthorisationWriteSerializer, responses=s.AuthorisationSerializer, tags=["familles"])
class AuthorisationView(_ChildSubRecord):
    def put(self, request, child_id: int, kind: str):
        child = self.child(request, child_id)
        if kind not in Authorisation.Kind.values:
            raise Http404(_("Autorisation inconnue."))
        granted = _object(request.data).get("granted")
        if granted is None or str(granted).lower() not in ("true", "false", "oui", "non", "1", "0"):
            raise errors.InvalidValue(errors={"granted": [_("Indiquez si l'autorisation est accordée (true ou false).")]})
        row = services.authorisation_set(actor=request.user, child=child, kind=kind,
                                         granted=str(granted).lower() in ("true", "oui", "1"))
        return Response(s.AuthorisationSerializer(row).data)


@extend_schema_view(
    get=extend_schema(summary="Documents de l'enfant", responses=s.ChildDocumentSerializer(many=True),
                      tags=["familles"]),
    post=extend_schema(summary="Déposer un document (PDF, JPEG ou PNG, 5 Mo maximum)",
                       request={"multipart/form-data": s.ChildDocumentUploadSerializer},
                       responses={201: s.ChildDocumentSerializer}, tags=["familles"]),
)
class DocumentListView(_ChildSubRecords):
    serializer_class = s.ChildDocumentSerializer
    related_name = "documents"
    parser_classes = [MultiPartParser, FormParser]

    def create(self, request, child):
        upload = request.FILES.get("file")
        if upload is None:
            raise errors.InvalidValue(errors={"file": [_("Choisissez un fichier.")]})
        return services.document_add(actor=request.user, child=child, title=_str(request.data, "title"), file=upload)


@extend_schema_view(
    get=extend_schema(summary="Télécharger un document de l'enfant",
                      responses={(200, mime): OpenApiTypes.BINARY for mime in PDF_AND_IMAGES}, tags=["familles"]),
    delete=extend_schema(summary="Supprimer un document", responses={204: None}, tags=["familles"]),
)
class DocumentView(_ChildSubRecord):
    def get(self, request, child_id: int, document_id: int):
        return document_file_response(document_of(household_of(request.user), child_id, document_id))

    def delete(self, request, child_id: int, document_id: int):
        services.document_remove(actor=request.user, child=self.child(request, child_id), document_id=document_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
