"""API of the accounts app: who am I, and token authentication for API clients."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.api import ErrorSerializer

from .. import services
from ..errors import InvalidCredentials, PortalNotOpen
from ..opening import portal_open


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    is_staff = serializers.BooleanField()


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The signed-in account")
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


class AuthTokenView(APIView):
    """Exchange the portal's e-mail and password for an API token; revoke it.

    Failed attempts count towards the same lock as the login page (django-axes): after
    repeated failures from an address, that address gets 429 with the time to retry; the
    account's owner elsewhere is not affected. The token is revoked by DELETE and by any
    password change.
    """

    authentication_classes = [TokenAuthentication]

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        summary="Get an API token",
        description=(
            "Exchange the e-mail and password of a town account for a token. Use it as "
            "`Authorization: Token <token>` on the other endpoints. Repeated failures lock the "
            "client address for 15 minutes (429, `code` = `locked_out`, `Retry-After`); tries "
            "during the lock do not extend it, and other addresses are not affected; too many "
            "requests from one address are slowed down (429, `code` = `throttled`, `Retry-After`)."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Wrong e-mail or password (one message for both)."),
            429: OpenApiResponse(ErrorSerializer, description="Too many failures: locked until the given time; or "
                                                              "too many requests: retry after `Retry-After` seconds."),
        },
        examples=[OpenApiExample("Request", value={"email": "parent@example.fr", "password": "…"}, request_only=True)],
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        payload = TokenRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        # The Django request, not DRF's wrapper: axes marks it when it locks, and its
        # middleware then answers with the lockout response.
        user = authenticate(
            request._request,
            username=payload.validated_data["email"].strip().lower(),
            password=payload.validated_data["password"],
        )
        if user is None:
            raise InvalidCredentials()
        if not user.is_staff and not portal_open():
            raise PortalNotOpen()
        token = services.api_token_issue(user=user)
        return Response(TokenSerializer({"token": token.key}).data)

    @extend_schema(
        summary="Revoke the API token",
        description="Revoke the token sent in the `Authorization` header.",
        request=None,
        responses={204: OpenApiResponse(description="Revoked.")},
        tags=["auth"],
    )
    def delete(self, request):
        services.api_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
