from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("mes-documents/", views.list, name="list"),
    path("mes-documents/<int:pk>/telecharger/", views.download, name="download"),
]
