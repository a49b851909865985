from django.urls import path

from . import views

app_name = "calendarfeed"

urlpatterns = [
    path("mon-agenda/", views.my_calendar, name="mine"),
    path("mon-agenda/nouvelle-adresse/", views.renew, name="renew"),
    path("mon-agenda/supprimer/", views.revoke, name="revoke"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
]
