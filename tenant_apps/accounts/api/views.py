from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    is_staff = serializers.BooleanField()


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The signed-in account")
    def get(self, request):
        return Response(MeSerializer(request.user).data)
